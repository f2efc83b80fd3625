using System.Security.Cryptography;
using System.Text;
using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Queue;
using Npgsql;

namespace NanoBanana.Generation.Jobs;

/// <summary>
/// Creates a job: plan against the Catalog → the user's plan terms (daily limit, queue priority) →
/// reserve the price in Billing → insert the queued job. The job id and the hold's idempotency key both
/// derive from (user, client request id), so concurrent or repeated identical requests converge on one
/// job and one hold.
/// </summary>
internal sealed class JobStarter(
    GenerationDbContext db,
    JobPlanner planner,
    UserPlanTerms planTerms,
    UseCaseSender sender,
    IMediaStore store,
    QueueEstimator estimator,
    JobSignal signal,
    IServiceProvider services,
    GenerationOptions options,
    TimeProvider clock)
{
    /// <summary>Advisory-lock class id serialising job creation per user (the per-user limit check).</summary>
    private const int UserLockClass = 0x47454E; // "GEN"

    public async Task<Result<StartOutcome>> StartAsync(long userId, GenerationSpec spec, string clientRequestId, CancellationToken cancellationToken)
    {
        var jobId = JobIdFor(userId, clientRequestId);
        var (existing, counts) = await LookUpAsync(jobId, userId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var planned = await planner.PlanAsync(spec, cancellationToken);
        if (!planned.IsSuccess)
        {
            return planned.ToFailure();
        }

        var plan = planned.Value;
        var parent = await ParentAsync(userId, spec.ParentJobId, cancellationToken);
        if (!parent.IsSuccess)
        {
            return parent.ToFailure();
        }

        // A cheap check first so a user at the limit never sees a hold come and go in the history.
        if (counts.Active >= options.MaxActiveJobsPerUser)
        {
            return LimitReached();
        }

        var job = new GenerationJob
        {
            Id = jobId,
            UserId = userId,
            ClientRequestId = clientRequestId,
            Kind = plan.Spec.Kind,
            ModelSlug = plan.Model.Slug,
            Engine = plan.Engine,
            ProviderModelId = plan.Model.ProviderModelId,
            Prompt = plan.ProviderPrompt,
            AspectRatio = plan.Spec.AspectRatio,
            DurationSeconds = plan.Spec.DurationSeconds,
            Resolution = plan.Spec.Resolution,
            Audio = plan.Spec.Audio,
            ImageCount = Math.Max(1, plan.Spec.ImageCount),
            LastFrame = plan.Spec.LastFrame is not null,
            TryOnZone = plan.Spec.TryOnZone,
            ParentJobId = parent.Value,
            PriceCredits = plan.PriceCredits,
            ProviderCostKopecks = plan.ProviderCostKopecks,
        };
        return await EnqueueAsync(job, counts, options.DeadlineFor(plan.Spec.Kind), async (now, _) => db.Inputs.AddRange(await StoreReferencesAsync(jobId, plan, now, cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// The first read of every start, in one round trip: whether the request's job exists already (a repeat is
    /// answered with it) and the user's job counts, which the limit pre-checks use before anything is reserved
    /// (ADR 0215). The checks that decide are repeated under the user's lock when the job is inserted.
    /// </summary>
    internal async Task<(StartOutcome? Existing, UserJobCounts Counts)> LookUpAsync(Guid jobId, long userId, CancellationToken cancellationToken)
    {
        var counts = await CountJobsAsync(jobId, userId, cancellationToken);
        return (counts.Exists ? await ExistingAsync(jobId, cancellationToken) : null, counts);
    }

    /// <summary>
    /// Reserves the job's price and inserts it queued (with whatever <paramref name="addRows"/> adds to the
    /// context, after the hold exists, with the job's start time and the plan's terms it started under), or
    /// says why not. Every job kind starts here, with the <paramref name="counts"/> its <see cref="LookUpAsync"/> read.
    /// </summary>
    internal async Task<Result<StartOutcome>> EnqueueAsync(GenerationJob job, UserJobCounts counts, TimeSpan deadline, Func<DateTimeOffset, PlanTerms, Task> addRows, CancellationToken cancellationToken)
    {
        var jobId = job.Id;
        var terms = await planTerms.ForUserAsync(job.UserId, cancellationToken);
        if (!terms.IsSuccess)
        {
            return terms.ToFailure();
        }

        // Checked before the hold, so a user at the limit is told so with nothing reserved; again under the user's lock below.
        var plan = terms.Value;
        if (IsDailyLimitReached(counts, plan))
        {
            return DailyLimitReached(plan);
        }

        var reserved = await sender.SendAsync(
            Principal.Module,
            new ReserveRequest
            {
                UserId = job.UserId,
                Amount = job.PriceCredits,
                IdempotencyKey = $"generation:{jobId}",
                Purpose = "generation",
                Reference = jobId.ToString(),
                // Outlives the job's deadline, so the hold cannot lapse while the job can still succeed.
                ExpiresInSeconds = (int)(deadline + TimeSpan.FromMinutes(30)).TotalSeconds,
            },
            cancellationToken);
        if (!reserved.IsSuccess)
        {
            return reserved.ToFailure();
        }

        if (reserved.Value.InsufficientFunds)
        {
            return new StartOutcome { InsufficientFunds = true, Shortfall = reserved.Value.Shortfall };
        }

        // The job is enqueued from here on: its clock (created_at, deadline) starts after the hold exists.
        var now = clock.GetUtcNow();
        job.HoldId = reserved.Value.HoldId;
        job.Status = JobStatus.Queued;
        // The queue claims by next_attempt_at: a paid plan's job counts as due a little earlier (ADR 0151).
        job.NextAttemptAt = now - (options.QueuePriorityStep * plan.QueuePriority);
        job.CreatedAt = now;
        job.DeadlineAt = now + deadline;
        await addRows(now, plan);

        var (created, queue) = await InsertAsync(job, plan, cancellationToken);
        if (created is Insert.ActiveLimit or Insert.DailyLimit)
        {
            var daily = created is Insert.DailyLimit;
            await sender.SendAsync(Principal.Module, new ReleaseRequest { HoldId = job.HoldId, Reason = daily ? "generation: daily job limit" : "generation: active job limit" }, cancellationToken);
            return daily ? DailyLimitReached(plan) : LimitReached();
        }

        if (created is Insert.Existed)
        {
            return await ExistingAsync(jobId, cancellationToken) ?? Result<StartOutcome>.Error("The job vanished right after it was created.");
        }

        signal.Queued();
        services.NotifyOutbox();
        // The queue position the Queued event announced, so the caller and the event agree.
        return new StartOutcome { Job = JobMapping.AdaptToJob(job, now, queue) };
    }

    /// <summary>Same user and client request id → same job id (a name-based UUID), so duplicates collide on the primary key.</summary>
    internal static Guid JobIdFor(long userId, string clientRequestId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"generation-job:{userId}:{clientRequestId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // Version 8 (custom).
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant.
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private enum Insert
    {
        Inserted,
        Existed,
        ActiveLimit,
        DailyLimit,
    }

    /// <summary>
    /// Inserts the job (with the queue position announced) unless it exists already or the user is at a limit.
    /// Three round trips (ADR 0196): the BEGIN, the user's lock, the checks and the queue estimate in one batch,
    /// where each statement reads with its own snapshot taken after the lock is held; the job with its event;
    /// the COMMIT.
    /// </summary>
    private async Task<(Insert Created, QueueSnapshot? Queue)> InsertAsync(GenerationJob job, PlanTerms plan, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<(Insert Created, QueueSnapshot? Queue)>(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var lockUser = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, $2)")
            {
                Parameters = { new() { Value = UserLockClass }, new() { Value = (int)(job.UserId ^ (job.UserId >> 32)) } },
            };
            await using var batch = new NpgsqlBatch(SqlSession.ConnectionOf(db), SqlSession.TransactionOf(db))
            {
                BatchCommands = { lockUser, CountJobsStatement(job.Id, job.UserId), QueueEstimator.Statement(job) },
            };
            UserJobCounts counts;
            QueueSnapshot queue;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                await reader.NextResultAsync(cancellationToken);   // past the lock's row
                counts = await ReadCountsAsync(reader, cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                queue = await estimator.ReadAsync(reader, job, cancellationToken);
            }

            if (counts.Exists)
            {
                return (Insert.Existed, null);
            }

            if (counts.Active >= options.MaxActiveJobsPerUser)
            {
                return (Insert.ActiveLimit, null);
            }

            if (IsDailyLimitReached(counts, plan))
            {
                return (Insert.DailyLimit, null);
            }

            db.Jobs.Add(job);
            db.AddIntegrationEvent(
                new GenerationStatusChanged
                {
                    JobId = job.Id.ToString(),
                    UserId = job.UserId,
                    Status = JobStatus.Queued,
                    QueuePosition = queue.Position,
                    EstimateSeconds = queue.EstimateSeconds,
                    OccurredAt = Timestamp.FromDateTimeOffset(job.CreatedAt),
                },
                clock);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (Insert.Inserted, queue);
        });
    }

    /// <summary>An edit names one of the user's own succeeded jobs (ADR 0171); anything else is refused as input.</summary>
    private async Task<Result<Guid?>> ParentAsync(long userId, string parentJobId, CancellationToken cancellationToken)
    {
        if (parentJobId.Length == 0)
        {
            return Result<Guid?>.Success(null);
        }

        var id = Guid.Parse(parentJobId);
        var found = await db.Jobs.AnyAsync(j => j.Id == id && j.UserId == userId && j.Status == JobStatus.Succeeded, cancellationToken);
        return found
            ? Result<Guid?>.Success(id)
            : Result<Guid?>.Invalid(new ValidationError("spec.parent_job_id", "The edited job is not one of your finished generations."));
    }

    /// <summary>Whether the job exists, and the user's active jobs and jobs of today (what the limits count).</summary>
    internal sealed record UserJobCounts(bool Exists, int Active, int Today);

    private async Task<UserJobCounts> CountJobsAsync(Guid jobId, long userId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(SqlSession.ConnectionOf(db)) { BatchCommands = { CountJobsStatement(jobId, userId) } };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await ReadCountsAsync(reader, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Active jobs are queued or running. Jobs started since midnight UTC count against the plan's daily limit,
    /// except those that failed: a failure is refunded and should not cost the user a job of their day either.
    /// </summary>
    private NpgsqlBatchCommand CountJobsStatement(Guid jobId, long userId) => new(
        $"""
        SELECT EXISTS (SELECT 1 FROM generation.jobs WHERE id = $1),
               (SELECT count(*) FROM generation.jobs WHERE user_id = $2 AND status IN ({(int)JobStatus.Queued}, {(int)JobStatus.Running})),
               (SELECT count(*) FROM generation.jobs WHERE user_id = $2 AND created_at >= $3 AND status <> {(int)JobStatus.Failed})
        """)
    {
        Parameters =
        {
            new() { Value = jobId },
            new() { Value = userId },
            new() { Value = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero) },
        },
    };

    private static async Task<UserJobCounts> ReadCountsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        return new UserJobCounts(reader.GetBoolean(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private static bool IsDailyLimitReached(UserJobCounts counts, PlanTerms plan) => plan.DailyJobLimit > 0 && counts.Today >= plan.DailyJobLimit;

    private static StartOutcome DailyLimitReached(PlanTerms plan) => new() { DailyLimitReached = true, DailyLimit = plan.DailyJobLimit, PlanId = plan.PlanId };

    private async Task<StartOutcome?> ExistingAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media).SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is null
            ? null
            : new StartOutcome { Job = JobMapping.AdaptToJob(job, clock.GetUtcNow(), await estimator.SnapshotAsync(job, cancellationToken)), Duplicate = true };
    }

    private async Task<List<JobInput>> StoreReferencesAsync(Guid jobId, JobPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inputs = new List<JobInput>();
        for (var i = 0; i < plan.References.Count; i++)
        {
            var (info, data) = plan.References[i];
            var key = $"inputs/{jobId:N}/{i}";
            await store.SaveAsync(key, data, cancellationToken);
            inputs.Add(new JobInput
            {
                JobId = jobId,
                Ordinal = i,
                MimeType = info.MimeType,
                Width = info.Width,
                Height = info.Height,
                SizeBytes = data.Length,
                StorageKey = key,
                AccessToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(),
                CreatedAt = now,
            });
        }

        return inputs;
    }

    internal StartOutcome LimitReached() => new() { ActiveLimitReached = true, ActiveLimit = options.MaxActiveJobsPerUser };
}
