using Microsoft.Extensions.Logging.Abstractions;
using NanoBanana.BuildingBlocks.Background;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Background;

/// <summary>The one loop, signal and retry rule every background worker of the modules uses.</summary>
public sealed class WorkLoopTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_notification_that_arrives_while_the_loop_looks_for_work_is_not_lost()
    {
        var signal = new WakeSignal();
        var armed = signal.Arm();
        signal.Notify();   // after arming, before waiting: the step that was looking missed this work

        var wait = armed(Long, CancellationToken.None);

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task An_unannounced_wait_ends_quietly_at_its_timeout_and_a_cancelled_one_throws()
    {
        var signal = new WakeSignal();

        // The poll interval elapsing is how an idle loop looks again: no exception.
        await signal.Arm()(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var cancelled = signal.Arm()(Long, stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public async Task A_loop_steps_again_at_once_while_it_finds_work_and_then_sleeps_until_notified()
    {
        var signal = new WakeSignal();
        var work = 3;
        var steps = 0;
        var idle = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var loop = new WorkLoop("test", NullLogger.Instance) { Signal = signal, IdleWait = Long };

        var running = loop.RunAsync(
            _ =>
            {
                Interlocked.Increment(ref steps);
                var found = Interlocked.Decrement(ref work) >= 0;
                if (!found)
                {
                    idle.Release();
                }

                return Task.FromResult(found);
            },
            stop.Token);

        Assert.True(await idle.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(4, Volatile.Read(ref steps));   // three with work, one that found none; the idle wait is five minutes

        Interlocked.Exchange(ref work, 1);
        signal.Notify();
        Assert.True(await idle.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(6, Volatile.Read(ref steps));

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_step_that_throws_is_retried_after_the_failure_pause_and_the_loop_goes_on()
    {
        var steps = 0;
        var recovered = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var loop = new WorkLoop("test", NullLogger.Instance) { IdleWait = Long, FailurePause = TimeSpan.FromMilliseconds(10) };

        var running = loop.RunAsync(
            _ =>
            {
                if (Interlocked.Increment(ref steps) <= 2)
                {
                    throw new InvalidOperationException("the database is away");
                }

                recovered.TrySetResult();
                return Task.FromResult(false);
            },
            stop.Token);

        await recovered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, Volatile.Read(ref steps));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Copies_run_side_by_side()
    {
        var inside = 0;
        var bothInside = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var loop = new WorkLoop("test", NullLogger.Instance) { IdleWait = Long, Copies = 2 };

        var running = loop.RunAsync(
            async cancellationToken =>
            {
                if (Interlocked.Increment(ref inside) == 2)
                {
                    bothInside.TrySetResult();
                }

                await bothInside.Task.WaitAsync(cancellationToken);
                return false;
            },
            stop.Token);

        await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;
        Assert.Equal(2, Volatile.Read(ref inside));
    }

    [Fact]
    public void Retry_delays_double_per_attempt_within_the_jitter_are_capped_and_park_at_the_last_attempt()
    {
        var policy = new RetryPolicy(MaxAttempts: 10, FirstDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromMinutes(5), Jitter: 0.2);

        Assert.InRange(policy.After(1).Delay.TotalSeconds, 0.8, 1.2);
        Assert.InRange(policy.After(4).Delay.TotalSeconds, 6.4, 9.6);
        Assert.InRange(policy.After(9).Delay.TotalSeconds, 204.8, 307.2);   // 256 s, under the cap
        Assert.False(policy.After(9).Park);
        Assert.InRange(new RetryPolicy(100, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 0.2).After(50).Delay.TotalMinutes, 4, 6);
        Assert.Equal(new RetryDecision(Park: true, TimeSpan.Zero), policy.After(10));
        Assert.True(policy.After(100).Park);
    }

    [Fact]
    public void Without_jitter_the_delay_is_exact_and_capped()
    {
        var policy = new RetryPolicy(MaxAttempts: 100, FirstDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromSeconds(60));

        Assert.Equal(TimeSpan.FromSeconds(2), policy.After(1).Delay);
        Assert.Equal(TimeSpan.FromSeconds(16), policy.After(4).Delay);
        Assert.Equal(TimeSpan.FromSeconds(60), policy.After(50).Delay);
    }
}
