using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Queue;

/// <summary>A job handed to one worker until <see cref="Token"/>'s lease runs out; every write is fenced by the token.</summary>
internal sealed record ClaimedJob(Guid Id, Guid Token, Engine Engine, bool Active);

/// <summary>
/// The queue operations on <c>generation.jobs</c>: claim (<c>FOR UPDATE SKIP LOCKED</c> + lease),
/// heartbeat, and hand-back. Due rows are unfinished jobs and finished ones not yet settled with Billing.
/// </summary>
internal sealed class JobQueue(SqlSession sql)
{
    public async Task<ClaimedJob?> ClaimAsync(TimeSpan lease, IReadOnlyCollection<Engine> saturated, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        await using var command = sql.Command("""
            UPDATE generation.jobs SET lease_token = @token, lease_until = now() + @lease
            WHERE id = (
                SELECT id FROM generation.jobs
                WHERE (status IN (1, 2) OR NOT settled)
                  AND next_attempt_at <= now()
                  AND (lease_until IS NULL OR lease_until < now())
                  AND NOT (engine = ANY(@saturated))
                ORDER BY next_attempt_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING id, engine, status IN (1, 2)
            """);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("saturated", saturated.Select(e => (int)e).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClaimedJob(reader.GetGuid(0), token, (Engine)reader.GetInt32(1), reader.GetBoolean(2))
            : null;
    }

    /// <summary>Keeps a lease alive during a long provider call; false when the lease was lost.</summary>
    public async Task<bool> ExtendAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = sql.Command(
            "UPDATE generation.jobs SET lease_until = now() + @lease WHERE id = @id AND lease_token = @token");
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("token", job.Token);
        command.Parameters.AddWithValue("lease", lease);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives the job back to the queue, due again after <paramref name="delay"/>.</summary>
    public async Task ReleaseAsync(ClaimedJob job, TimeSpan delay, CancellationToken cancellationToken)
    {
        await using var command = sql.Command("""
            UPDATE generation.jobs SET lease_token = NULL, lease_until = NULL, next_attempt_at = now() + @delay
            WHERE id = @id AND lease_token = @token
            """);
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("token", job.Token);
        command.Parameters.AddWithValue("delay", delay);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Takes one submission from the provider's token bucket shared by all replicas; returns how
    /// long to wait when the bucket is empty (zero when a token was taken).
    /// </summary>
    public async Task<TimeSpan> TryTakeSubmitTokenAsync(Engine engine, int perMinute, CancellationToken cancellationToken)
    {
        if (perMinute <= 0)
        {
            return TimeSpan.Zero;
        }

        await using var command = sql.Command("""
            INSERT INTO generation.provider_budgets (engine, tokens, refilled_at) VALUES (@engine, @capacity, now()) ON CONFLICT DO NOTHING;
            UPDATE generation.provider_budgets
            SET tokens = LEAST(@capacity, tokens + EXTRACT(EPOCH FROM now() - refilled_at) * @rate) - 1, refilled_at = now()
            WHERE engine = @engine AND LEAST(@capacity, tokens + EXTRACT(EPOCH FROM now() - refilled_at) * @rate) >= 1
            RETURNING tokens;
            """);
        command.Parameters.AddWithValue("engine", (int)engine);
        command.Parameters.AddWithValue("capacity", (double)perMinute);
        command.Parameters.AddWithValue("rate", perMinute / 60.0);
        var taken = await command.ExecuteScalarAsync(cancellationToken);
        return taken is null ? TimeSpan.FromSeconds(60.0 / perMinute) : TimeSpan.Zero;
    }
}

/// <summary>
/// Wakes one idle worker per queued job (a counting signal: one claim per job, not every worker per job). A committed job insert notifies <c>generation_jobs</c> (a trigger),
/// which reaches every replica, this one included (ADR 0122); while that listening connection is down, a job
/// queued here wakes a worker here directly and other replicas find it at their next poll.
/// </summary>
internal sealed class JobSignal : IDatabaseNotificationHandler, IWakeSource, IDisposable
{
    public const string QueuedChannel = "generation_jobs";

    private readonly SemaphoreSlim _pending = new(0, int.MaxValue);
    private volatile bool _listening;

    public string Channel => QueuedChannel;

    public void Dispose() => _pending.Dispose();

    /// <summary>This replica committed a job.</summary>
    public void Queued()
    {
        if (!_listening)
        {
            Wake();
        }
    }

    public void OnNotification(string payload) => Wake();

    public void OnListeningChanged(bool listening)
    {
        _listening = listening;
        if (listening)
        {
            Wake();   // jobs queued while nobody listened were not announced
        }
    }

    // A permit taken is a job announced, before or after arming alike: nothing is lost in between.
    public WakeWait Arm() => WaitAsync;

    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _pending.WaitAsync(timeout, cancellationToken);

    private void Wake()
    {
        // Bounded: a burst wakes at most this many extra claims, each of which keeps claiming until the queue is empty.
        if (_pending.CurrentCount < 64)
        {
            _pending.Release();
        }
    }
}
