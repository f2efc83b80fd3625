using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Host;

public sealed class MigrationsState
{
    public bool Completed { get; set; }
}

/// <summary>Applies every module's migrations before the Host accepts traffic (StartAsync blocks start-up).</summary>
internal sealed partial class MigrationsHostedService(
    IEnumerable<IModuleMigrator> migrators,
    IServiceProvider services,
    MigrationsState state,
    ILogger<MigrationsHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var migrator in migrators)
        {
            await migrator.MigrateAsync(services, cancellationToken);
            LogMigrated(logger, migrator.Schema);
        }

        state.Completed = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} is up to date")]
    private static partial void LogMigrated(ILogger logger, string schema);
}
