using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Observability;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests;

/// <summary>The outbox/inbox mechanism against real PostgreSQL, one database per test.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task Every_event_is_delivered_and_marked_dispatched()
    {
        await using var rig = await OutboxRig.StartAsync();
        var ids = await rig.PublishAsync("a", "b", "c");

        var claimed = await rig.NewDispatcher().DispatchBatchAsync(rig.Options, CancellationToken.None);

        Assert.Equal(3, claimed);
        Assert.Equal(ids, rig.Script.Deliveries);
        Assert.All(ids, id => Assert.NotNull(rig.RowAsync(id).Result.DispatchedAt));
        Assert.Equal(0, await rig.NewDispatcher().DispatchBatchAsync(rig.Options, CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_until_it_succeeds()
    {
        await using var rig = await OutboxRig.StartAsync();
        rig.Script.FailTimes("flaky", 2);
        var id = (await rig.PublishAsync("flaky")).Single();
        var dispatcher = rig.NewDispatcher();

        await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        var afterFirstFailure = await rig.RowAsync(id);
        await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        var delivered = await rig.RowAsync(id);

        Assert.Equal(1, afterFirstFailure.Attempts);
        Assert.Contains("Subscriber refused flaky", afterFirstFailure.LastError, StringComparison.Ordinal);
        Assert.Null(afterFirstFailure.DispatchedAt);
        Assert.NotNull(delivered.DispatchedAt);
        Assert.Equal([id], rig.Script.Deliveries);
    }

    [Fact]
    public async Task A_failed_delivery_waits_for_its_backoff_before_the_next_attempt()
    {
        await using var rig = await OutboxRig.StartAsync(firstRetryDelay: TimeSpan.FromHours(1));
        rig.Script.FailTimes("later", 1);
        var id = (await rig.PublishAsync("later")).Single();
        var dispatcher = rig.NewDispatcher();

        await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        var row = await rig.RowAsync(id);
        var claimedDuringBackoff = await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);

        Assert.Equal(0, claimedDuringBackoff);
        Assert.True(row.NextAttemptAt > row.OccurredAt.AddMinutes(3)); // An hour, capped by MaxRetryDelay (5 min) less jitter.
        Assert.Empty(rig.Script.Deliveries);
    }

    [Fact]
    public async Task An_event_that_keeps_failing_is_parked_after_max_attempts_and_counted_in_the_parked_gauge()
    {
        await using var rig = await OutboxRig.StartAsync(maxAttempts: 3);
        rig.Script.FailTimes("poison", int.MaxValue);
        var id = (await rig.PublishAsync("poison")).Single();
        var dispatcher = rig.NewDispatcher();

        for (var i = 0; i < 3; i++)
        {
            await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        }

        var parked = await rig.RowAsync(id);
        var claimedAfterParking = await dispatcher.DispatchBatchAsync(rig.Options, CancellationToken.None);
        await dispatcher.RefreshParkedCountAsync(CancellationToken.None);

        Assert.NotNull(parked.ParkedAt);
        Assert.Equal(3, parked.Attempts);
        Assert.Equal(0, claimedAfterParking);
        var metrics = await rig.Services.GetRequiredService<Prometheus.CollectorRegistry>().RenderAsync();
        Assert.Contains("outbox_parked{schema=\"obtest\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("outbox_parked_total{schema=\"obtest\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("outbox_failed_total{schema=\"obtest\"} 3\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_schema_deliver_every_event_once_and_never_the_same_one_concurrently()
    {
        await using var rig = await OutboxRig.StartAsync();
        var ids = await rig.PublishAsync([.. Enumerable.Range(0, 300).Select(i => $"e{i}")]);
        var options = new OutboxOptions { BatchSize = 7, MaxAttempts = 10, FirstRetryDelay = TimeSpan.Zero };

        async Task DrainAsync(OutboxDispatcher dispatcher)
        {
            while (await dispatcher.DispatchBatchAsync(options, CancellationToken.None) > 0)
            {
            }
        }

        await Task.WhenAll(Task.Run(() => DrainAsync(rig.NewDispatcher())), Task.Run(() => DrainAsync(rig.NewDispatcher())));

        Assert.Equal(0, rig.Script.Overlaps);
        Assert.Equal(ids.Order(), rig.Script.Deliveries.Order());
    }

    [Fact]
    public async Task The_inbox_applies_a_redelivered_event_once_even_when_deliveries_race()
    {
        await using var rig = await OutboxRig.StartAsync();
        var context = new IntegrationEventContext(Guid.CreateVersion7(), DateTimeOffset.UtcNow);

        async Task DeliverAsync()
        {
            await using var scope = rig.Services.CreateAsyncScope();
            var handler = ActivatorUtilities.CreateInstance<InboxCountingHandler>(scope.ServiceProvider);
            await handler.HandleAsync(new StringValue { Value = "pay" }, context, CancellationToken.None);
        }

        await DeliverAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(DeliverAsync)));

        await using var check = rig.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<OutboxTestContext>();
        Assert.Equal(1, await db.Effects.CountAsync(e => e.EventId == context.EventId));
        Assert.Equal(1, await db.Set<InboxMessage>().CountAsync(m => m.EventId == context.EventId));
    }
}
