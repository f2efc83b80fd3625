using Npgsql;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Host;

/// <summary>The configured database, or a private embedded cluster when none is configured.</summary>
public sealed class DatabaseBootstrap : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private DatabaseBootstrap(DatabaseConnection connection, EmbeddedPostgres? embedded)
    {
        Connection = connection;
        _embedded = embedded;
    }

    public DatabaseConnection Connection { get; }

    public static async Task<DatabaseBootstrap> ResolveAsync(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseBootstrap(new DatabaseConnection(configured), null);
        }

        var dataDirectory = configuration["Database:EmbeddedDataDirectory"] is { Length: > 0 } folder
            ? folder
            : Path.Combine(FindProjectRoot(contentRoot), ".data", "postgres");
        var embedded = await EmbeddedPostgres.StartAsync(dataDirectory);
        await EnsureDatabaseAsync(embedded, "nanobanana");
        return new DatabaseBootstrap(new DatabaseConnection(embedded.ConnectionString("nanobanana")), embedded);
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

    /// <summary>The folder holding NanoBanana.sln (the data folder lives there), else the content root.</summary>
    private static string FindProjectRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                return directory.FullName;
            }
        }

        return start;
    }
}
