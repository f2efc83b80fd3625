using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;

namespace NanoBanana.Host;

public sealed class MigrationsState
{
    public bool Completed { get; set; }
}

/// <summary>Applies every module's migrations before the Host accepts traffic (StartAsync blocks start-up).</summary>
internal sealed partial class MigrationsHostedService(
    IEnumerable<IModuleMigrator> migrators,
    IServiceProvider services,
    DatabaseConnection connection,
    MigrationsState state,
    ILogger<MigrationsHostedService> logger) : IHostedService
{
    // Any constant shared by every Host: pg_advisory_lock's key for "migrating the database".
    private const long MigrationLockKey = 0x4E42_4D49_4752; // "NBMIGR"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAllAsync(migrators, services, connection, schema => LogMigrated(logger, schema), cancellationToken);
        state.Completed = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs the migrators one Host at a time: replicas starting together (a fresh database, a deploy that adds
    /// a migration) would otherwise run the same migration concurrently and one would fail on "already exists".
    /// The session-level advisory lock is released when this connection closes, also when the process dies.
    /// </summary>
    public static async Task MigrateAllAsync(IEnumerable<IModuleMigrator> migrators, IServiceProvider services, DatabaseConnection connection, Action<string>? migrated, CancellationToken cancellationToken)
    {
        await using var lockConnection = new NpgsqlConnection(connection.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock($1)", lockConnection))
        {
            acquire.Parameters.AddWithValue(MigrationLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var migrator in migrators)
        {
            await migrator.MigrateAsync(services, cancellationToken);
            migrated?.Invoke(migrator.Schema);
        }

        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection);
        release.Parameters.AddWithValue(MigrationLockKey);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} is up to date")]
    private static partial void LogMigrated(ILogger logger, string schema);
}
