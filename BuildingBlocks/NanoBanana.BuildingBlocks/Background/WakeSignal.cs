namespace NanoBanana.BuildingBlocks.Background;

/// <summary>What a <see cref="WorkLoop"/> waits on after a step that found no work.</summary>
public interface IWakeSource
{
    /// <summary>
    /// Called before the loop looks for work; the wait it returns ends early for work announced after this call,
    /// so an announcement made while the loop was looking is not lost.
    /// </summary>
    WakeWait Arm();
}

/// <summary>Returns when work was announced or after <paramref name="timeout"/>, whichever comes first.</summary>
public delegate Task WakeWait(TimeSpan timeout, CancellationToken cancellationToken);

/// <summary>
/// Wakes every loop of this process that waits for a kind of work, the moment a writer here committed some,
/// instead of at their next poll (other replicas poll, or listen for a database notification).
/// </summary>
public class WakeSignal : IWakeSource
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every loop that armed the signal before this call.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public WakeWait Arm()
    {
        var notified = Volatile.Read(ref _next).Task;
        return (timeout, cancellationToken) => WaitAsync(notified, timeout, cancellationToken);
    }

    private static async Task WaitAsync(Task notified, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // An elapsed poll interval is the common idle outcome: suppressing its TimeoutException spares every idle
        // loop an exception per poll; cancellation still ends the wait with its exception.
        await notified.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
