using Google.Protobuf.WellKnownTypes;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// A finished provider call: store the media, record the success with its <see cref="GenerationSucceeded"/> event
/// (or, if the user cancelled meanwhile, fail it and discard the result), then settle.
/// </summary>
internal sealed class JobSuccess(
    GenerationDbContext db,
    IMediaStore store,
    JobFailure failure,
    JobSettlement settlement,
    IServiceProvider services,
    TimeProvider clock)
{
    public async Task SucceedAsync(GenerationJob job, ClaimedJob claim, IReadOnlyList<GeneratedMedia> results, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var media = new List<JobMedia>();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var key = $"results/{job.Id:N}/{i}{Extension(result.MimeType)}";
            await store.SaveAsync(key, result.Data, cancellationToken);
            var (width, height) = result.Width > 0 ? (result.Width, result.Height)
                : ImageInspector.Inspect(result.Data) is { } info
                ? (info.Width, info.Height)
                : job.Engine == Engine.Sandbox && result.MimeType.StartsWith("video/", StringComparison.Ordinal) ? SandboxProvider.VideoSize(job.AspectRatio, job.Resolution) : (0, 0);
            media.Add(new JobMedia
            {
                Id = Guid.CreateVersion7(now),
                JobId = job.Id,
                Ordinal = i,
                MimeType = result.MimeType,
                SizeBytes = result.Data.Length,
                Width = width,
                Height = height,
                DurationSeconds = result.DurationSeconds > 0 ? result.DurationSeconds : job.IsVideo ? job.DurationSeconds : 0,
                StorageKey = key,
                CreatedAt = now,
            });
        }

        // Imagen leaves images its safety filter withheld out of the answer: the user pays for what arrived.
        var charged = job.Kind is GenerationKind.TextToImage or GenerationKind.ImageToImage
            ? Catalog.Contracts.V1.ModelPricing.CreditsForDelivered(job.PriceCredits, job.ImageCount, results.Count)
            : job.PriceCredits;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Written only while the lease holds and nobody cancelled. The update locks the row; a cancel committed
            // meanwhile is re-read by it (READ COMMITTED re-checks the newest version), so this decides as locking the
            // row first and reading it did, in one round trip instead of two.
            var recorded = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE generation.jobs SET status = {(int)JobStatus.Succeeded}, charged_credits = {charged}, finished_at = {now}, submitting_at = NULL
                WHERE id = {job.Id} AND lease_token = {claim.Token} AND NOT cancel_requested
                """,
                cancellationToken);
            if (recorded == 0)
            {
                var leased = await db.Database
                    .SqlQuery<bool>($"SELECT true AS \"Value\" FROM generation.jobs WHERE id = {job.Id} AND lease_token = {claim.Token} FOR UPDATE")
                    .ToListAsync(cancellationToken);
                if (leased.Count == 0)
                {
                    return; // The lease was lost; whoever holds it now finishes the job.
                }

                // Still ours, so the user cancelled.
                await transaction.RollbackAsync(cancellationToken);
                await failure.FailAsync(job, claim, FailureClass.Cancelled, "cancelled while running; result discarded", cancellationToken);
                return;
            }

            db.Media.AddRange(media);
            var succeeded = new GenerationSucceeded
            {
                JobId = job.Id.ToString(),
                UserId = job.UserId,
                ModelSlug = job.ModelSlug,
                Prompt = job.Prompt,
                CostCredits = charged,
                ImageCount = job.ImageCount,
                ReleasedCredits = job.PriceCredits - charged,
                Kind = job.Kind,
                FinishedAt = Timestamp.FromDateTimeOffset(now),
                VideoTools = job.VideoTools?.Adapt<VideoToolsChoice>(),
                TryOnZone = job.TryOnZone,
            };
            succeeded.Media.AddRange(media.Select(m => m.Adapt<MediaRef>()));
            db.AddIntegrationEvent(succeeded, clock);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        services.NotifyOutbox();
        job.Status = JobStatus.Succeeded;
        job.ChargedCredits = charged;
        await settlement.SettleAsync(job, claim, cancellationToken);
    }

    private static string Extension(string mimeType) => mimeType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        "video/mp4" => ".mp4",
        VideoToolsPipeline.SubRipMimeType => ".srt",
        _ => ".bin",
    };

}
