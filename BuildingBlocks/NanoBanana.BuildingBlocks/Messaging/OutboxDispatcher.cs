using System.ComponentModel.DataAnnotations;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;
using Prometheus;

namespace NanoBanana.BuildingBlocks.Messaging;

public sealed class OutboxOptions
{
    /// <summary>False stops this Host from dispatching (events still accumulate; another replica or a restart delivers them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the parked-row gauge is refreshed from the database.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ParkedRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries tried before an event is parked for an operator to look at.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 10000)]
    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// Delivers one module's outbox to the in-process subscribers. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease, so any number of Host replicas can run it; a
/// replica that dies mid-batch leaves rows whose lease expires and another replica retries them.
/// </summary>
internal sealed partial class OutboxDispatcher(
    string schema,
    IServiceProvider services,
    SqlSession sql,
    IntegrationEventRegistry registry,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    // On /metrics when the Host registered its registry (AddPrometheusMetrics); an operator re-queues or deletes parked rows.
    private readonly OutboxMetrics? _metrics = services.GetService<IMetricFactory>() is { } factory ? new OutboxMetrics(factory, schema) : null;

    private long _nextParkedRefresh;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        var loop = new WorkLoop($"the {schema} outbox", logger) { Signal = signal, IdleWait = settings.PollInterval };
        return loop.RunAsync(
            async cancellationToken =>
            {
                if (Environment.TickCount64 >= _nextParkedRefresh)
                {
                    await RefreshParkedCountAsync(cancellationToken);
                    _nextParkedRefresh = Environment.TickCount64 + (long)settings.ParkedRefreshInterval.TotalMilliseconds;
                }

                return await DispatchBatchAsync(settings, cancellationToken) > 0;
            },
            stoppingToken);
    }

    /// <summary>Claims and delivers one batch; returns how many rows it claimed.</summary>
    internal async Task<int> DispatchBatchAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        var batch = await ClaimAsync(settings, cancellationToken);
        foreach (var row in batch)
        {
            try
            {
                await DeliverAsync(row, cancellationToken);
                await MarkDispatchedAsync(row.Id, cancellationToken);
                _metrics?.Delivered.Inc();
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var attempts = row.Attempts + 1;
                var (park, delay) = RetryPolicyOf(settings).After(attempts);
                await MarkFailedAsync(row.Id, attempts, delay, park, exception.GetType().Name + ": " + exception.Message, cancellationToken);
                _metrics?.Failed.Inc();
                if (park)
                {
                    _metrics?.Parked.Inc();
                    _metrics?.ParkedNow.Inc();
                    LogParked(logger, exception, row.Type, row.Id, attempts);
                }
                else
                {
                    LogRetry(logger, exception, row.Type, row.Id, attempts, delay.TotalSeconds);
                }
            }
        }

        return batch.Count;
    }

    private async Task DeliverAsync(ClaimedRow row, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(row.Type, out var subscription))
        {
            return; // Nobody in this Host subscribes to the event type.
        }

        var message = subscription.Parser.ParseFrom(row.Payload);
        var context = new IntegrationEventContext(row.Id, row.OccurredAt);
        foreach (var handlerType in subscription.HandlerTypes)
        {
            // Each handler gets its own scope (and DbContext), so one subscriber's failure cannot poison another's unit of work.
            await using var scope = services.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService(handlerType);
            await subscription.Invoke(handler, message, context, cancellationToken);
        }
    }

    private async Task<List<ClaimedRow>> ClaimAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var command = sql.Command(
            $"""
            UPDATE {schema}.outbox SET locked_until = now() + @lease
            WHERE id IN (
                SELECT id FROM {schema}.outbox
                WHERE dispatched_at IS NULL AND parked_at IS NULL AND next_attempt_at <= now()
                  AND (locked_until IS NULL OR locked_until < now())
                ORDER BY occurred_at
                LIMIT @batch
                FOR UPDATE SKIP LOCKED)
            RETURNING id, type, payload, occurred_at, attempts
            """);
        command.Parameters.AddWithValue("lease", settings.Lease);
        command.Parameters.AddWithValue("batch", settings.BatchSize);
        var rows = new List<ClaimedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ClaimedRow(reader.GetGuid(0), reader.GetString(1), (byte[])reader[2], reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt32(4)));
        }

        rows.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
        return rows;
    }

    /// <summary>Reads how many rows are parked now (they leave the state only by an operator's hand).</summary>
    internal async Task RefreshParkedCountAsync(CancellationToken cancellationToken)
    {
        await using var command = sql.Command($"SELECT count(*) FROM {schema}.outbox WHERE parked_at IS NOT NULL");
        var parked = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        _metrics?.ParkedNow.Set(parked);
    }

    private async Task MarkDispatchedAsync(Guid id, CancellationToken cancellationToken)
    {
        await sql.ExecuteAsync($"UPDATE {schema}.outbox SET dispatched_at = now(), locked_until = NULL WHERE id = $1", cancellationToken, id);
    }

    private async Task MarkFailedAsync(Guid id, int attempts, TimeSpan delay, bool park, string error, CancellationToken cancellationToken)
    {
        await sql.ExecuteAsync(
            $"""
            UPDATE {schema}.outbox
            SET attempts = $2, next_attempt_at = now() + $3, locked_until = NULL,
                last_error = left($5, 2000), parked_at = CASE WHEN $4 THEN now() END
            WHERE id = $1
            """,
            cancellationToken, id, attempts, delay, park, error);
    }

    /// <summary>Exponential backoff with ±20 % jitter, capped; parked after MaxAttempts.</summary>
    internal static RetryPolicy RetryPolicyOf(OutboxOptions settings) => new(settings.MaxAttempts, settings.FirstRetryDelay, settings.MaxRetryDelay, Jitter: 0.2);

    private sealed record ClaimedRow(Guid Id, string Type, byte[] Payload, DateTimeOffset OccurredAt, int Attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {Type} {EventId} failed (attempt {Attempts}); retrying in {DelaySeconds:F1} s")]
    private static partial void LogRetry(ILogger logger, Exception exception, string type, Guid eventId, int attempts, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Delivery of {Type} {EventId} parked after {Attempts} attempts")]
    private static partial void LogParked(ILogger logger, Exception exception, string type, Guid eventId, int attempts);
}

/// <summary>Wakes this process's outbox dispatchers when an event was just written, instead of at their next poll.</summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>One module's outbox counters, labelled by its schema.</summary>
internal sealed class OutboxMetrics(IMetricFactory factory, string schema)
{
    public Counter.Child Delivered { get; } = factory.CreateCounter("outbox_delivered_total", "Outbox events delivered to every subscriber", ["schema"]).WithLabels(schema);

    public Counter.Child Failed { get; } = factory.CreateCounter("outbox_failed_total", "Outbox deliveries that failed (retried or parked)", ["schema"]).WithLabels(schema);

    public Counter.Child Parked { get; } = factory.CreateCounter("outbox_parked_total", "Outbox events parked after too many failed deliveries", ["schema"]).WithLabels(schema);

    public Gauge.Child ParkedNow { get; } = factory.CreateGauge("outbox_parked", "Outbox rows parked after too many failed deliveries", ["schema"]).WithLabels(schema);
}
