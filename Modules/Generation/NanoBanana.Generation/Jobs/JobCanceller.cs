using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Persistence;

namespace NanoBanana.Generation.Jobs;

/// <summary>
/// Cancels a user's job: a queued job nobody has picked up ends at once and its hold is released;
/// a running job is flagged, and its worker discards the provider's result and refunds at its next step.
/// </summary>
internal sealed class JobCanceller(GenerationDbContext db, UseCaseSender sender, IServiceProvider services, TimeProvider clock)
{
    public async Task<Result<Job>> CancelAsync(long userId, Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.UserId == userId, cancellationToken);
        if (job is null)
        {
            return Result<Job>.NotFound("No such generation.");
        }

        if (job.IsActive)
        {
            if (await CancelQueuedAsync(job, cancellationToken))
            {
                var released = await sender.SendAsync(Principal.Module, new ReleaseRequest { HoldId = job.HoldId, Reason = "generation cancelled" }, cancellationToken);
                if (released.IsSuccess || released.Status == ResultStatus.Conflict)
                {
                    // Only if no worker took it meanwhile; otherwise the worker settles it.
                    await db.Database.ExecuteSqlAsync($"UPDATE generation.jobs SET settled = true WHERE id = {job.Id} AND lease_token IS NULL", cancellationToken);
                }
            }
            else
            {
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE generation.jobs SET cancel_requested = true, next_attempt_at = LEAST(next_attempt_at, now()) WHERE id = {job.Id} AND status IN (1, 2)",
                    cancellationToken);
            }
        }

        var current = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media).SingleAsync(j => j.Id == jobId, cancellationToken);
        return JobMapping.AdaptToJob(current, clock.GetUtcNow());
    }

    private async Task<bool> CancelQueuedAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reason = FailureReasons.For(FailureClass.Cancelled, job.PriceCredits);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE generation.jobs SET status = {(int)JobStatus.Cancelled}, cancel_requested = true, failure_class = {(int)FailureClass.Cancelled},
                failure_reason_ru = {reason.Ru}, failure_reason_en = {reason.En}, finished_at = {now}, next_attempt_at = {now}
            WHERE id = {job.Id} AND status = {(int)JobStatus.Queued} AND submitting_at IS NULL AND operation_id IS NULL
              AND (lease_until IS NULL OR lease_until < now())
            """,
            cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        db.AddIntegrationEvent(
            new GenerationFailed
            {
                JobId = job.Id.ToString(),
                UserId = job.UserId,
                FailureClass = FailureClass.Cancelled,
                Reason = reason,
                RefundedCredits = job.PriceCredits,
                ModelSlug = job.ModelSlug,
                FinishedAt = Timestamp.FromDateTimeOffset(now),
            },
            clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.NotifyOutbox();
        return true;
    }
}
