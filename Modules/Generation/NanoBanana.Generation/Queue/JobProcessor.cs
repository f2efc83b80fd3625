using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Queue;

/// <summary>
/// Runs one step of a claimed job: settle a finished job with Billing, or submit / poll the
/// provider and record the outcome. Decisions are committed (with their outbox event) before
/// Billing is called, and Billing calls are idempotent, so a crash at any point repeats safely.
/// </summary>
internal sealed partial class JobProcessor(
    GenerationDbContext db,
    JobQueue queue,
    ProviderRegistry providers,
    IMediaStore store,
    UseCaseSender sender,
    IServiceProvider services,
    VideoToolsPipeline videoTools,
    GenerationOptions options,
    TimeProvider clock,
    ILogger<JobProcessor> logger)
{
    private static readonly TimeSpan SettleRetryDelay = TimeSpan.FromSeconds(5);

    public async Task ProcessAsync(ClaimedJob claim, CancellationToken stopping)
    {
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).SingleAsync(j => j.Id == claim.Id, stopping);
        if (!job.IsActive)
        {
            await SettleAsync(job, claim, stopping);
            return;
        }

        var now = clock.GetUtcNow();
        if (job.CancelRequested)
        {
            await FailAsync(job, claim, FailureClass.Cancelled, "cancelled by the user", stopping);
            return;
        }

        if (now >= job.DeadlineAt)
        {
            await FailAsync(job, claim, FailureClass.Timeout, "deadline passed", stopping);
            return;
        }

        var provider = providers.Get(job.Engine);
        if (job.OperationId is null && job.SubmittingAt is not null && provider.IsLongRunning(job.Kind))
        {
            // The previous worker died between sending and storing the operation id: sending again could pay twice.
            await FailAsync(job, claim, FailureClass.Transient, "interrupted during submission", stopping, FailureReasons.Interrupted(job.PriceCredits));
            return;
        }

        if (job.OperationId is null && job.SubmittingAt is not null && job.Attempts >= options.MaxAttempts)
        {
            // Crashes keep interrupting a synchronous call: stop resending.
            await FailAsync(job, claim, FailureClass.Transient, "interrupted during submission too often", stopping, FailureReasons.Interrupted(job.PriceCredits));
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
                outcome = await provider.PollAsync(await RequestForAsync(job, deadline.Token), operationId, deadline.Token);
            }
            else
            {
                var wait = await queue.TryTakeSubmitTokenAsync(job.Engine, providers.OptionsOf(job.Engine).SubmitsPerMinute, stopping);
                if (wait > TimeSpan.Zero)
                {
                    await queue.ReleaseAsync(claim, wait, stopping);
                    return;
                }

                if (!await MarkSubmittingAsync(job, claim, stopping))
                {
                    return;
                }

                outcome = job.Kind == GenerationKind.VideoTools
                    ? new ProviderOutcome.Completed(await videoTools.RunAsync(job, claim.Token, deadline.Token))
                    : await provider.SubmitAsync(await RequestForAsync(job, stopping), deadline.Token);
            }

            switch (outcome)
            {
                case ProviderOutcome.Pending pending:
                    await RecordOperationAsync(job, claim, pending.OperationId, stopping);
                    break;
                case ProviderOutcome.Completed completed:
                    await SucceedAsync(job, claim, completed.Media, stopping);
                    break;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await FailAsync(job, claim, FailureClass.Timeout, "deadline passed during the provider call", stopping);
        }
        catch (ProviderFailureException failure) when (!stopping.IsCancellationRequested)
        {
            await HandleFailureAsync(job, claim, failure, stopping);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !stopping.IsCancellationRequested)
        {
            LogUnexpected(logger, exception, job.Id);
            await HandleFailureAsync(job, claim, new ProviderFailureException(FailureClass.Transient, exception.GetType().Name, exception), stopping);
        }
    }

    private async Task HandleFailureAsync(GenerationJob job, ClaimedJob claim, ProviderFailureException failure, CancellationToken cancellationToken)
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

    private async Task<bool> MarkSubmittingAsync(GenerationJob job, ClaimedJob claim, CancellationToken cancellationToken)
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

    private async Task RecordOperationAsync(GenerationJob job, ClaimedJob claim, string operationId, CancellationToken cancellationToken)
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

    private async Task SucceedAsync(GenerationJob job, ClaimedJob claim, IReadOnlyList<GeneratedMedia> results, CancellationToken cancellationToken)
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
            var cancelRequested = await db.Database
                .SqlQuery<bool>($"SELECT cancel_requested AS \"Value\" FROM generation.jobs WHERE id = {job.Id} AND lease_token = {claim.Token} FOR UPDATE")
                .ToListAsync(cancellationToken);
            if (cancelRequested.Count == 0)
            {
                return; // The lease was lost; whoever holds it now finishes the job.
            }

            if (cancelRequested[0])
            {
                await transaction.RollbackAsync(cancellationToken);
                await FailAsync(job, claim, FailureClass.Cancelled, "cancelled while running; result discarded", cancellationToken);
                return;
            }

            await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE generation.jobs SET status = {(int)JobStatus.Succeeded}, charged_credits = {charged}, finished_at = {now}, submitting_at = NULL
                WHERE id = {job.Id} AND lease_token = {claim.Token}
                """,
                cancellationToken);
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
        await SettleAsync(job, claim, cancellationToken);
    }

    private async Task FailAsync(GenerationJob job, ClaimedJob claim, FailureClass failureClass, string detail, CancellationToken cancellationToken, LocalizedText? reason = null)
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
        await SettleAsync(job, claim, cancellationToken);
    }

    /// <summary>
    /// Captures what a succeeded job charges (the rest of the hold goes back in the same Billing transaction) or
    /// releases the hold of anything else; both are idempotent in Billing, and the amount is stored on the job.
    /// </summary>
    private async Task SettleAsync(GenerationJob job, ClaimedJob claim, CancellationToken cancellationToken)
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

    private async Task<ProviderRequest> RequestForAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var inputs = await db.Inputs.AsNoTracking().Where(i => i.JobId == job.Id).OrderBy(i => i.Ordinal).ToListAsync(cancellationToken);
        var references = new List<ProviderImage>();
        foreach (var input in inputs)
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

    private LeaseHeartbeat StartHeartbeat(ClaimedJob claim, CancellationToken cancellationToken) =>
        LeaseHeartbeat.Start(options.Lease, ct => queue.ExtendAsync(claim, options.Lease, ct), exception => LogHeartbeatFailed(logger, exception, claim.Id), clock, cancellationToken);

    private static string Extension(string mimeType) => mimeType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        "video/mp4" => ".mp4",
        VideoToolsPipeline.SubRipMimeType => ".srt",
        _ => ".bin",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} on {Engine} failed with {FailureClass}: {Detail}")]
    private static partial void LogFailure(ILogger logger, Guid jobId, Engine engine, FailureClass failureClass, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: unexpected error in a step")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: settling with Billing failed ({Error}); retrying")]
    private static partial void LogSettleFailed(ILogger logger, Exception? exception, Guid jobId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Status}): Billing reports the hold already settled otherwise: {Error}")]
    private static partial void LogSettleConflict(ILogger logger, Guid jobId, JobStatus status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid jobId);
}
