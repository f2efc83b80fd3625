using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// Runs one step of a claimed job and decides what it is: settle a finished job (<see cref="JobSettlement"/>), end
/// one that is cancelled, late or was interrupted mid-submission (<see cref="JobFailure"/>), or call the provider
/// under a lease heartbeat (<see cref="JobSubmission"/>) and record the outcome (<see cref="JobSuccess"/>,
/// <see cref="JobFailure"/>). Decisions are committed (with their outbox event) before Billing is called, and
/// Billing calls are idempotent, so a crash at any point repeats safely.
/// </summary>
internal sealed partial class JobProcessor(
    GenerationDbContext db,
    JobQueue queue,
    ProviderRegistry providers,
    JobSubmission submission,
    JobSuccess success,
    JobFailure jobFailure,
    JobSettlement settlement,
    VideoToolsPipeline videoTools,
    GenerationOptions options,
    TimeProvider clock,
    ILogger<JobProcessor> logger)
{
    public async Task ProcessAsync(ClaimedJob claim, CancellationToken stopping)
    {
        // The inputs come with the job, in the same round trip: every provider request is built from them.
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Inputs.OrderBy(i => i.Ordinal)).SingleAsync(j => j.Id == claim.Id, stopping);
        if (!job.IsActive)
        {
            await settlement.SettleAsync(job, claim, stopping);
            return;
        }

        var now = clock.GetUtcNow();
        if (job.CancelRequested)
        {
            await jobFailure.FailAsync(job, claim, FailureClass.Cancelled, "cancelled by the user", stopping);
            return;
        }

        if (now >= job.DeadlineAt)
        {
            await jobFailure.FailAsync(job, claim, FailureClass.Timeout, "deadline passed", stopping);
            return;
        }

        var provider = providers.Get(job.Engine);
        if (job.OperationId is null && job.SubmittingAt is not null && provider.IsLongRunning(job.Kind))
        {
            // The previous worker died between sending and storing the operation id: sending again could pay twice.
            await jobFailure.FailAsync(job, claim, FailureClass.Transient, "interrupted during submission", stopping, FailureReasons.Interrupted(job.PriceCredits));
            return;
        }

        if (job.OperationId is null && job.SubmittingAt is not null && job.Attempts >= options.MaxAttempts)
        {
            // Crashes keep interrupting a synchronous call: stop resending.
            await jobFailure.FailAsync(job, claim, FailureClass.Transient, "interrupted during submission too often", stopping, FailureReasons.Interrupted(job.PriceCredits));
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(job.DeadlineAt - now);
        using var heartbeat = StartHeartbeat(claim, deadline.Token);
        try
        {
            ProviderOutcome outcome;
            if (job.OperationId is { } operationId)
            {
                outcome = await provider.PollAsync(await submission.RequestForAsync(job, deadline.Token), operationId, deadline.Token);
            }
            else
            {
                var wait = await queue.TryTakeSubmitTokenAsync(job.Engine, providers.OptionsOf(job.Engine).SubmitsPerMinute, stopping);
                if (wait > TimeSpan.Zero)
                {
                    await queue.ReleaseAsync(claim, wait, stopping);
                    return;
                }

                if (!await submission.MarkSubmittingAsync(job, claim, stopping))
                {
                    return;
                }

                outcome = job.Kind == GenerationKind.VideoTools
                    ? new ProviderOutcome.Completed(await videoTools.RunAsync(job, claim.Token, deadline.Token))
                    : await provider.SubmitAsync(await submission.RequestForAsync(job, stopping), deadline.Token);
            }

            switch (outcome)
            {
                case ProviderOutcome.Pending pending:
                    await submission.RecordOperationAsync(job, claim, pending.OperationId, stopping);
                    break;
                case ProviderOutcome.Completed completed:
                    await success.SucceedAsync(job, claim, completed.Media, stopping);
                    break;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await jobFailure.FailAsync(job, claim, FailureClass.Timeout, "deadline passed during the provider call", stopping);
        }
        catch (ProviderFailureException failure) when (!stopping.IsCancellationRequested)
        {
            await jobFailure.HandleAsync(job, claim, failure, stopping);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !stopping.IsCancellationRequested)
        {
            LogUnexpected(logger, exception, job.Id);
            await jobFailure.HandleAsync(job, claim, new ProviderFailureException(FailureClass.Transient, exception.GetType().Name, exception), stopping);
        }
    }

    private LeaseHeartbeat StartHeartbeat(ClaimedJob claim, CancellationToken cancellationToken) =>
        LeaseHeartbeat.Start(options.Lease, ct => queue.ExtendAsync(claim, options.Lease, ct), exception => LogHeartbeatFailed(logger, exception, claim.Id), clock, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: unexpected error in a step")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid jobId);
}
