using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Providers;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Background;

/// <summary>
/// <see cref="GenerationOptions.Workers"/> loops per replica, each claiming one due job at a time.
/// Per-provider concurrency is bounded per replica: a saturated provider's jobs are not claimed.
/// </summary>
internal sealed class JobWorker(
    IServiceProvider services,
    JobQueue queue,
    JobSignal signal,
    ProviderRegistry providers,
    GenerationOptions options,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly Dictionary<Engine, SemaphoreSlim> _slots = providers.Engines.ToDictionary(
        engine => engine,
        engine => new SemaphoreSlim(providers.OptionsOf(engine).MaxConcurrency));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("a generation worker", logger) { Signal = signal, IdleWait = options.IdlePollInterval, Copies = options.Workers }
            .RunAsync(RunOnceAsync, stoppingToken);

    /// <summary>Claims and runs one job step; false when nothing was due.</summary>
    internal async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var saturated = _slots.Where(s => s.Value.CurrentCount == 0).Select(s => s.Key).ToList();
        var claim = await queue.ClaimAsync(options.Lease, saturated, stoppingToken);
        if (claim is null)
        {
            return false;
        }

        await using var scope = services.CreateAsyncScope();
        var processor = scope.ServiceProvider.GetRequiredService<JobProcessor>();
        // Settling a finished job with Billing does not call the provider, so it takes no provider slot.
        var slot = claim.Active ? _slots[claim.Engine] : null;
        if (slot is not null && !await slot.WaitAsync(0, stoppingToken))
        {
            await queue.ReleaseAsync(claim, TimeSpan.Zero, stoppingToken);
            return true;
        }

        try
        {
            await processor.ProcessAsync(claim, stoppingToken);
        }
        finally
        {
            slot?.Release();
        }

        return true;
    }
}
