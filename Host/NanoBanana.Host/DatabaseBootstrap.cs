using Npgsql;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Host;

/// <summary>The configured database, or a private embedded cluster when none is configured.</summary>
public sealed class DatabaseBootstrap : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private DatabaseBootstrap(DatabaseConnection connection, EmbeddedPostgres? embedded, string description)
    {
        Connection = connection;
        _embedded = embedded;
        Description = description;
    }

    public DatabaseConnection Connection { get; }

    /// <summary>Which database this is, for the start-up banner (no credentials).</summary>
    public string Description { get; }

    /// <param name="dataRoot">The Host's data folder (see <see cref="NanoBananaApp.DataRoot"/>); the embedded cluster lives in its <c>postgres</c>.</param>
    public static async Task<DatabaseBootstrap> ResolveAsync(IConfiguration configuration, string dataRoot)
    {
        var configured = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var server = new NpgsqlConnectionStringBuilder(configured);
            return new DatabaseBootstrap(new DatabaseConnection(configured), null, $"{server.Host}:{server.Port}/{server.Database} (ConnectionStrings:Postgres)");
        }

        var dataDirectory = configuration["Database:EmbeddedDataDirectory"] is { Length: > 0 } folder
            ? folder
            : Path.Combine(dataRoot, "postgres");
        var embedded = await EmbeddedPostgres.StartAsync(dataDirectory);
        await EnsureDatabaseAsync(embedded, "nanobanana");
        var where = embedded.DataDirectory == Path.GetFullPath(dataDirectory)
            ? embedded.DataDirectory
            : $"{embedded.DataDirectory} (the postgres user cannot enter {Path.GetFullPath(dataDirectory)})";
        return new DatabaseBootstrap(
            new DatabaseConnection(embedded.ConnectionString("nanobanana")), embedded, $"private cluster on 127.0.0.1:{embedded.Port}, data in {where}");
    }

    public static async Task<bool> CanConnectAsync(DatabaseConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var npgsql = new NpgsqlConnection(connection.ConnectionString);
            await npgsql.OpenAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _embedded?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task EnsureDatabaseAsync(EmbeddedPostgres server, string name)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }
}
