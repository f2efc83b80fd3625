using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Background;

/// <summary>
/// Deletes reference images after <see cref="GenerationOptions.InputRetention"/>, the prompt assistant's conversations after
/// <see cref="AssistantOptions.HistoryRetention"/> and, if configured, old results.
/// </summary>
internal sealed class RetentionSweeper(IServiceProvider services, GenerationOptions options, TimeProvider clock, ILogger<RetentionSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    // One sweep deletes at most a batch; the next one follows after the interval.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the retention sweeper", logger) { IdleWait = Interval, Clock = clock }.RunAsync(
            async cancellationToken =>
            {
                await SweepAsync(cancellationToken);
                return false;
            },
            stoppingToken);

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GenerationDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<IMediaStore>();
        var now = clock.GetUtcNow();
        var inputCutoff = now - options.InputRetention;
        var inputs = await db.Inputs.Where(i => i.DeletedAt == null && i.CreatedAt < inputCutoff).OrderBy(i => i.CreatedAt).Take(500).ToListAsync(cancellationToken);
        foreach (var input in inputs)
        {
            await store.DeleteAsync(input.StorageKey, cancellationToken);
            input.DeletedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await SweepVideoToolsAsync(db, store, now, inputCutoff, cancellationToken);
        if (options.Assistant.HistoryRetention > TimeSpan.Zero)
        {
            var historyCutoff = now - options.Assistant.HistoryRetention;
            await db.AssistantTurns.Where(t => t.CreatedAt < historyCutoff).ExecuteDeleteAsync(cancellationToken);
        }

        if (options.ResultRetention > TimeSpan.Zero)
        {
            var resultCutoff = now - options.ResultRetention;
            var media = await db.Media.Where(m => m.CreatedAt < resultCutoff).OrderBy(m => m.CreatedAt).Take(500).ToListAsync(cancellationToken);
            foreach (var item in media)
            {
                await store.DeleteAsync(item.StorageKey, cancellationToken);
            }

            db.Media.RemoveRange(media);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Video-tool uploads and step artifacts go with the inputs' retention (24 h), except those of a job still running.</summary>
    private static async Task SweepVideoToolsAsync(GenerationDbContext db, IMediaStore store, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var running = db.Jobs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running).Select(j => j.Id);
        var jobs = await db.VideoToolsJobs
            .Where(j => j.ArtifactsDeletedAt == null && j.CreatedAt < cutoff && !running.Contains(j.JobId))
            .OrderBy(j => j.CreatedAt).Take(200).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            foreach (var key in job.ArtifactKeys)
            {
                await store.DeleteAsync(key, cancellationToken);
            }

            job.ArtifactsDeletedAt = now;
        }

        var inUse = db.VideoToolsJobs.Where(j => running.Contains(j.JobId)).Select(j => j.UploadId);
        var uploads = await db.VideoUploads
            .Where(u => u.DeletedAt == null && u.CreatedAt < cutoff && !inUse.Contains(u.Id))
            .OrderBy(u => u.CreatedAt).Take(200).ToListAsync(cancellationToken);
        foreach (var upload in uploads)
        {
            await store.DeleteAsync(upload.StorageKey, cancellationToken);
            upload.DeletedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

}
