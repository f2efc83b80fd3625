namespace NanoBanana.BuildingBlocks.Persistence;

/// <summary>The connection string every module uses (one database, one schema per module).</summary>
public sealed class DatabaseConnection(string connectionString)
{
    public string ConnectionString { get; } = connectionString;
}
