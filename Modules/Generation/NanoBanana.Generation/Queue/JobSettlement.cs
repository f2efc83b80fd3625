using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Persistence;

namespace NanoBanana.Generation.Queue;

/// <summary>The last step of every job: Billing captures or releases its hold, then the job is marked settled.</summary>
internal sealed partial class JobSettlement(GenerationDbContext db, JobQueue queue, UseCaseSender sender, ILogger<JobSettlement> logger)
{
    private static readonly TimeSpan SettleRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Captures what a succeeded job charges (the rest of the hold goes back in the same Billing transaction) or
    /// releases the hold of anything else; both are idempotent in Billing, and the amount is stored on the job.
    /// </summary>
    public async Task SettleAsync(GenerationJob job, ClaimedJob claim, CancellationToken cancellationToken)
    {
        IResult result;
        try
        {
            // A capture of zero would mean "the whole hold": nothing to charge is a release.
            result = job.Status == JobStatus.Succeeded && (job.ChargedCredits ?? job.PriceCredits) > 0
                ? await sender.SendAsync(Principal.Module, new CaptureRequest { HoldId = job.HoldId, Amount = job.ChargedCredits ?? job.PriceCredits }, cancellationToken)
                : await sender.SendAsync(Principal.Module, new ReleaseRequest { HoldId = job.HoldId, Reason = $"generation {job.Status.ToString().ToLowerInvariant()}" }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSettleFailed(logger, exception, job.Id, exception.Message);
            await queue.ReleaseAsync(claim, SettleRetryDelay, cancellationToken);
            return;
        }

        // Conflict: Billing already settled the hold the other way (e.g. it expired); nothing more to do here.
        if (!result.IsSuccess && result.Status != ResultStatus.Conflict)
        {
            LogSettleFailed(logger, null, job.Id, string.Join("; ", result.Errors));
            await queue.ReleaseAsync(claim, SettleRetryDelay, cancellationToken);
            return;
        }

        if (result.Status == ResultStatus.Conflict)
        {
            LogSettleConflict(logger, job.Id, job.Status, string.Join("; ", result.Errors));
        }

        await db.Database.ExecuteSqlAsync(
            $"UPDATE generation.jobs SET settled = true, lease_token = NULL, lease_until = NULL WHERE id = {job.Id} AND lease_token = {claim.Token}",
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: settling with Billing failed ({Error}); retrying")]
    private static partial void LogSettleFailed(ILogger logger, Exception? exception, Guid jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Status}): Billing reports the hold already settled otherwise: {Error}")]
    private static partial void LogSettleConflict(ILogger logger, Guid jobId, JobStatus status, string error);
}
