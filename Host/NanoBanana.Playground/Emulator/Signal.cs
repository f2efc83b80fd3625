namespace NanoBanana.Playground.Emulator;

/// <summary>Wakes every waiter whenever the emulator's state changes.</summary>
internal sealed class Signal
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Re-evaluates <paramref name="probe"/> after every change until it yields a value or the time is up.</summary>
    public async Task<T?> WaitFor<T>(Func<T?> probe, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!deadline.IsCancellationRequested)
        {
            var changed = Changed;
            if (probe() is { } value)
            {
                return value;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return probe();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return probe();
    }
}
