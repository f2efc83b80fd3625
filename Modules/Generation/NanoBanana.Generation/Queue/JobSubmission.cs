using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// The bookkeeping around a provider call: the request with its reference images, the "submitting" mark written
/// before sending (so a crash mid-call is seen), and a long operation's id written before its first status check.
/// </summary>
internal sealed class JobSubmission(GenerationDbContext db, IMediaStore store, IServiceProvider services, GenerationOptions options, TimeProvider clock)
{
    public async Task<bool> MarkSubmittingAsync(GenerationJob job, ClaimedJob claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE generation.jobs SET status = {(int)JobStatus.Running}, started_at = COALESCE(started_at, {now}),
                first_submit_at = COALESCE(first_submit_at, {now}), submitting_at = {now}, attempts = attempts + 1
            WHERE id = {job.Id} AND lease_token = {claim.Token}
            """,
            cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        if (job.Status == JobStatus.Queued)
        {
            db.AddIntegrationEvent(
                new GenerationStatusChanged { JobId = job.Id.ToString(), UserId = job.UserId, Status = JobStatus.Running, OccurredAt = Timestamp.FromDateTimeOffset(now) },
                clock);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        job.Attempts++;
        job.Status = JobStatus.Running;
        job.StartedAt ??= now;
        services.NotifyOutbox();
        return true;
    }

    public async Task RecordOperationAsync(GenerationJob job, ClaimedJob claim, string operationId, CancellationToken cancellationToken)
    {
        // Stored before the first status check: after a crash the job resumes by this id instead of submitting again.
        var next = clock.GetUtcNow() + options.OperationPollInterval;
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE generation.jobs SET operation_id = {operationId}, submitting_at = NULL, lease_token = NULL, lease_until = NULL, next_attempt_at = {next}
            WHERE id = {job.Id} AND lease_token = {claim.Token}
            """,
            cancellationToken);
    }

    /// <summary>The provider request of <paramref name="job"/>, loaded with its <see cref="GenerationJob.Inputs"/>.</summary>
    public async Task<ProviderRequest> RequestForAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var references = new List<ProviderImage>();
        foreach (var input in job.Inputs)
        {
            var data = await store.ReadAsync(input.StorageKey, cancellationToken)
                ?? throw new ProviderFailureException(FailureClass.InvalidInput, $"reference image {input.Ordinal} is gone from the store");
            var url = options.PublicBaseUrl.Length > 0 ? $"{options.PublicBaseUrl.TrimEnd('/')}/generation/inputs/{input.AccessToken}" : null;
            references.Add(new ProviderImage(input.MimeType, data, url));
        }

        var lastFrame = job.LastFrame && references.Count > 1 ? references[^1] : null;
        return new ProviderRequest(job.Id, job.Kind, job.ProviderModelId, job.Prompt, job.AspectRatio, job.DurationSeconds, job.Resolution, job.Audio, lastFrame is null ? references : references[..^1], job.Attempts)
        {
            ImageCount = job.ImageCount,
            LastFrame = lastFrame,
            TryOnZone = job.TryOnZone,
        };
    }
}
