using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Features;

/// <summary>
/// Starts a video-tools job for a Telegram user: plan (price for the real duration, the plan's longest
/// video) → the plan's daily limit → reserve → a queued job with its <see cref="VideoToolsJob"/> row,
/// watermarked and sized as the plan says. Same client request id, same job.
/// </summary>
internal sealed class StartVideoToolsForUser(
    GenerationDbContext db,
    JobStarter starter,
    VideoToolsPlanner planner,
    GenerationOptions generation,
    VideoToolsOptions options) : IUseCaseHandler<StartVideoToolsForUserRequest, StartVideoToolsForUserResponse>
{
    public async Task<Result<StartVideoToolsForUserResponse>> Handle(StartVideoToolsForUserRequest request, CancellationToken cancellationToken)
    {
        var clientRequestId = request.ClientRequestId.Trim();
        var jobId = JobStarter.JobIdFor(request.UserId, $"video-tools:{clientRequestId}");
        var (existing, counts) = await starter.LookUpAsync(jobId, request.UserId, cancellationToken);
        if (existing is not null)
        {
            return Answer(existing);
        }

        var planned = await planner.PlanAsync(request.UserId, request.UploadId, request.Choice, cancellationToken);
        if (!planned.IsSuccess)
        {
            return planned.ToFailure();
        }

        if (counts.Active >= generation.MaxActiveJobsPerUser)
        {
            return Answer(starter.LimitReached());
        }

        var plan = planned.Value;
        var choice = plan.Choice;
        var job = new GenerationJob
        {
            Id = jobId,
            UserId = request.UserId,
            ClientRequestId = clientRequestId,
            Kind = GenerationKind.VideoTools,
            ModelSlug = VideoToolsPlanner.ModelSlug,
            Engine = plan.Engine,
            ProviderModelId = options.TranscriptionModel,
            Prompt = VideoToolsTexts.Describe(choice),
            AspectRatio = choice.Reframe != Reframe.Unspecified ? "9:16" : string.Empty,
            DurationSeconds = (int)Math.Ceiling(plan.Upload.DurationSeconds),
            Resolution = string.Empty,
            Audio = choice.VoiceOver,
            PriceCredits = plan.PriceCredits,
            ProviderCostKopecks = plan.ProviderCostKopecks,
        };
        var started = await starter.EnqueueAsync(
            job,
            counts,
            options.Deadline,
            (now, terms) =>
            {
                job.VideoTools = new VideoToolsJob
                {
                    JobId = jobId,
                    UploadId = plan.Upload.Id,
                    SourceKey = plan.Upload.StorageKey,
                    DurationSeconds = plan.Upload.DurationSeconds,
                    Width = plan.Upload.Width,
                    Height = plan.Upload.Height,
                    HasAudio = plan.Upload.HasAudio,
                    BilledMinutes = plan.BilledMinutes,
                    TranslateTo = choice.TranslateTo,
                    VoiceOver = choice.VoiceOver,
                    ReplaceAudio = choice.ReplaceAudio,
                    Captions = choice.Captions,
                    Reframe = choice.Reframe,
                    // The plan in force when the hold is taken decides, like its daily limit (ADR 0142).
                    Watermark = terms.Watermark,
                    MaxOutputSide = planner.Allowance(terms).MaxOutputSide,
                    CreatedAt = now,
                };
                db.VideoToolsJobs.Add(job.VideoTools);
                return Task.CompletedTask;
            },
            cancellationToken);
        return started.Map(Answer);
    }

    private static StartVideoToolsForUserResponse Answer(StartOutcome outcome) => new() { Outcome = outcome };
}

internal sealed class StartVideoToolsForUserValidator : AbstractValidator<StartVideoToolsForUserRequest>
{
    public StartVideoToolsForUserValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Choice).MustBeValidChoice();
        RuleFor(r => r.ClientRequestId).MustBeClientRequestId();
    }
}
