namespace NanoBanana.BuildingBlocks.Background;

/// <summary>
/// Keeps a claimed row's lease alive while its owner works with no transaction open: calls
/// <c>extend</c> every third of the lease until disposed. A failed extension is reported and ends the
/// heartbeat; the lease then runs out and the owner's fenced write (on its lease token) finds it lost.
/// </summary>
public sealed class LeaseHeartbeat : IDisposable
{
    private readonly PeriodicTimer _timer;

    private LeaseHeartbeat(PeriodicTimer timer) => _timer = timer;

    public static LeaseHeartbeat Start(TimeSpan lease, Func<CancellationToken, Task> extend, Action<Exception> failed, TimeProvider clock, CancellationToken cancellationToken)
    {
        var timer = new PeriodicTimer(lease / 3, clock);
        _ = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    await extend(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The owner stopped.
            }
            catch (Exception exception)
            {
                failed(exception);
            }
        }, CancellationToken.None);
        return new LeaseHeartbeat(timer);
    }

    /// <summary>Stops extending (an extension already under way may still land; the owner's token fences it).</summary>
    public void Dispose() => _timer.Dispose();
}
