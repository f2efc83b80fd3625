namespace NanoBanana.Bot.Ingest;

/// <summary>Wakes waiting workers in this process when new work was stored (other replicas poll).</summary>
internal sealed class InboxSignal : WorkSignal;

/// <summary>Wakes the outbound sender when messages were queued in this process.</summary>
internal sealed class OutboundSignal : WorkSignal;

internal abstract class WorkSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _current).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Poll interval elapsed: look again.
        }
    }
}
