using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using Npgsql;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// Queue position and a time estimate from the model's recent run times. Both are read by one statement
/// (<see cref="Statement"/>), so the job start can send it in the batch of its other checks (ADR 0196).
/// </summary>
internal sealed class QueueEstimator(GenerationDbContext db, GenerationOptions options, TimeProvider clock)
{
    private const int RecentRuns = 50;
    private static readonly TimeSpan DefaultImageRun = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultVideoRun = TimeSpan.FromSeconds(90);

    public async Task<QueueSnapshot?> SnapshotAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        if (!job.IsActive)
        {
            return null;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(SqlSession.ConnectionOf(db), SqlSession.TransactionOf(db))
            {
                BatchCommands = { Statement(job) },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await ReadAsync(reader, job, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The job's position (queued jobs are claimed in next_attempt_at order, where a paid plan's job is due a
    /// little earlier, ADR 0151; 0 once running) and the run times of the model's last succeeded jobs.
    /// The status values are literals so the partial indexes on status apply.
    /// </summary>
    public static NpgsqlBatchCommand Statement(GenerationJob job) => new(
        $"""
        SELECT CASE WHEN $1 THEN (SELECT count(*) FROM generation.jobs WHERE status = {(int)JobStatus.Queued} AND next_attempt_at < $2) + 1 ELSE 0 END,
               ARRAY(SELECT EXTRACT(EPOCH FROM finished_at - started_at)::float8 FROM generation.jobs
                     WHERE model_slug = $3 AND status = {(int)JobStatus.Succeeded} AND started_at IS NOT NULL AND finished_at IS NOT NULL
                     ORDER BY finished_at DESC LIMIT {RecentRuns})
        """)
    {
        Parameters =
        {
            new() { Value = job.Status == JobStatus.Queued },
            new() { Value = job.NextAttemptAt },
            new() { Value = job.ModelSlug },
        },
    };

    /// <summary>Reads the current result of a <see cref="Statement"/> of <paramref name="job"/>.</summary>
    public async Task<QueueSnapshot> ReadAsync(NpgsqlDataReader reader, GenerationJob job, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        var position = (int)reader.GetInt64(0);
        var runs = reader.GetFieldValue<double[]>(1);
        Array.Sort(runs);
        var typical = runs.Length > 0 ? runs[runs.Length / 2] : (job.IsVideo ? DefaultVideoRun : DefaultImageRun).TotalSeconds;
        var ahead = Math.Max(0, position - 1) / (double)Math.Max(1, options.Workers);
        var elapsed = job.StartedAt is { } started ? (clock.GetUtcNow() - started).TotalSeconds : 0;
        var estimate = Math.Max(1, (typical * (1 + ahead)) - elapsed);
        return new QueueSnapshot(position, (int)Math.Ceiling(estimate));
    }
}
