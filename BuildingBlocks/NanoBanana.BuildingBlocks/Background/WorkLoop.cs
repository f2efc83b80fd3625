using Microsoft.Extensions.Logging;

namespace NanoBanana.BuildingBlocks.Background;

/// <summary>
/// The loop every background worker runs: do one step (claim and handle work); step again at once while
/// steps find work; otherwise wait for the <see cref="Signal"/> or the <see cref="IdleWait"/>. A step that
/// throws is logged and followed by a <see cref="FailurePause"/>, so a database outage neither ends the
/// worker nor spins it. The step owns its SQL and its per-item retries (<see cref="RetryPolicy"/>).
/// </summary>
public sealed partial class WorkLoop(string name, ILogger logger)
{
    /// <summary>Wakes the loop when work was queued; null: it polls only.</summary>
    public IWakeSource? Signal { get; init; }

    /// <summary>How long the loop waits after a step that found nothing.</summary>
    public required TimeSpan IdleWait { get; init; }

    /// <summary>How long the loop waits after a step that failed (the idle wait when not set).</summary>
    public TimeSpan? FailurePause { get; init; }

    /// <summary>How many copies of the loop run side by side (each claims its own work).</summary>
    public int Copies { get; init; } = 1;

    /// <summary>The clock of the waits without a signal (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Runs <see cref="Copies"/> loops until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="step">One unit of work; true when it found work (the loop steps again at once).</param>
    public Task RunAsync(Func<CancellationToken, Task<bool>> step, CancellationToken stoppingToken) =>
        Copies == 1
            ? LoopAsync(step, stoppingToken)
            : Task.WhenAll(Enumerable.Range(0, Math.Max(0, Copies)).Select(_ => Task.Run(() => LoopAsync(step, stoppingToken), stoppingToken)));

    private async Task LoopAsync(Func<CancellationToken, Task<bool>> step, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = Signal?.Arm();
            TimeSpan wait;
            try
            {
                if (await step(stoppingToken))
                {
                    continue;
                }

                wait = IdleWait;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogStepFailed(logger, exception, name);
                wait = FailurePause ?? IdleWait;
                wake = null;   // after a failure, pause even if work was announced meanwhile
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (wake is not null)
                {
                    await wake(wait, stoppingToken);
                }
                else
                {
                    await Task.Delay(wait, Clock, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of {Loop} failed; it runs again after a pause")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string loop);
}
