using Microsoft.EntityFrameworkCore;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;

namespace NanoBanana.Generation.Queue;

/// <summary>Queue position and a time estimate from the model's recent run times.</summary>
internal sealed class QueueEstimator(GenerationDbContext db, GenerationOptions options, TimeProvider clock)
{
    private static readonly TimeSpan DefaultImageRun = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultVideoRun = TimeSpan.FromSeconds(90);

    public async Task<QueueSnapshot?> SnapshotAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        if (!job.IsActive)
        {
            return null;
        }

        var position = job.Status == JobStatus.Queued
            // Claimed in next_attempt_at order, where a paid plan's job is due a little earlier (ADR 0151).
            ? await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued && j.NextAttemptAt < job.NextAttemptAt, cancellationToken) + 1
            : 0;
        var recent = await db.Jobs.AsNoTracking()
            .Where(j => j.ModelSlug == job.ModelSlug && j.Status == JobStatus.Succeeded && j.StartedAt != null && j.FinishedAt != null)
            .OrderByDescending(j => j.FinishedAt)
            .Take(50)
            .Select(j => new { j.StartedAt, j.FinishedAt })
            .ToListAsync(cancellationToken);
        var runs = recent.Select(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalSeconds).Order().ToList();
        var typical = runs.Count > 0 ? runs[runs.Count / 2] : (job.IsVideo ? DefaultVideoRun : DefaultImageRun).TotalSeconds;
        var ahead = Math.Max(0, position - 1) / (double)Math.Max(1, options.Workers);
        var elapsed = job.StartedAt is { } started ? (clock.GetUtcNow() - started).TotalSeconds : 0;
        var estimate = Math.Max(1, (typical * (1 + ahead)) - elapsed);
        return new QueueSnapshot(position, (int)Math.Ceiling(estimate));
    }
}
