using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// A failed attempt: retry a transient failure later (doubling delays, within the attempts and the deadline), or end
/// the job failed (or cancelled) with its reason and a <see cref="GenerationFailed"/> event, then settle it.
/// </summary>
internal sealed partial class JobFailure(
    GenerationDbContext db,
    JobQueue queue,
    JobSettlement settlement,
    IServiceProvider services,
    GenerationOptions options,
    TimeProvider clock,
    ILogger<JobFailure> logger)
{
    public async Task HandleAsync(GenerationJob job, ClaimedJob claim, ProviderFailureException failure, CancellationToken cancellationToken)
    {
        LogFailure(logger, job.Id, job.Engine, failure.FailureClass, failure.Message);
        var now = clock.GetUtcNow();
        if (failure.FailureClass == FailureClass.Transient && job.OperationId is not null && !failure.OperationEnded)
        {
            // A status check failed, not the operation: check again later (the deadline still bounds it).
            await queue.ReleaseAsync(claim, options.OperationPollInterval, cancellationToken);
            return;
        }

        var attempts = job.Attempts;
        var delay = options.RetryDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        if (failure.FailureClass == FailureClass.Transient && attempts < options.MaxAttempts && now + delay < job.DeadlineAt)
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE generation.jobs SET submitting_at = NULL, operation_id = NULL, lease_token = NULL, lease_until = NULL,
                    next_attempt_at = {now + delay}, failure_detail = {failure.Message}
                WHERE id = {job.Id} AND lease_token = {claim.Token}
                """,
                cancellationToken);
            return;
        }

        await FailAsync(job, claim, failure.FailureClass, failure.Message, cancellationToken, failure.Reason);
    }

    public async Task FailAsync(GenerationJob job, ClaimedJob claim, FailureClass failureClass, string detail, CancellationToken cancellationToken, LocalizedText? reason = null)
    {
        var now = clock.GetUtcNow();
        reason ??= FailureReasons.For(failureClass, job.PriceCredits);
        var status = failureClass == FailureClass.Cancelled ? JobStatus.Cancelled : JobStatus.Failed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var updated = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE generation.jobs SET status = {(int)status}, failure_class = {(int)failureClass}, failure_reason_ru = {reason.Ru},
                    failure_reason_en = {reason.En}, failure_detail = {detail}, finished_at = {now}, submitting_at = NULL
                WHERE id = {job.Id} AND lease_token = {claim.Token} AND status IN (1, 2)
                """,
                cancellationToken);
            if (updated == 0)
            {
                return;
            }

            db.AddIntegrationEvent(
                new GenerationFailed
                {
                    JobId = job.Id.ToString(),
                    UserId = job.UserId,
                    FailureClass = failureClass,
                    Reason = reason,
                    RefundedCredits = job.PriceCredits,
                    ModelSlug = job.ModelSlug,
                    FinishedAt = Timestamp.FromDateTimeOffset(now),
                    Kind = job.Kind,
                },
                clock);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        services.NotifyOutbox();
        job.Status = status;
        await settlement.SettleAsync(job, claim, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} on {Engine} failed with {FailureClass}: {Detail}")]
    private static partial void LogFailure(ILogger logger, Guid jobId, Engine engine, FailureClass failureClass, string detail);
}
