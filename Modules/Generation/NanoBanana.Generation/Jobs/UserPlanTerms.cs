using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Generation.Jobs;

/// <summary>
/// What the user's plan means for a new job: how many jobs a day (0 = no limit), how far ahead in the queue,
/// and for the video tools whether the result is watermarked, how long a video may be (0 = the tools' own limit)
/// and the longest side of the rendered video (0 = the tools' default).
/// </summary>
internal sealed record PlanTerms(string PlanId, int DailyJobLimit, int QueuePriority, bool Watermark, int MaxVideoToolsSeconds, int VideoToolsMaxSide);

/// <summary>The user's plan now (Billing) with its terms (Catalog), read once per job start (ADR 0150).</summary>
internal sealed class UserPlanTerms(UseCaseSender sender)
{
    public async Task<Result<PlanTerms>> ForUserAsync(long userId, CancellationToken cancellationToken)
    {
        var current = await sender.SendAsync(Principal.Module, new GetUserPlanRequest { UserId = userId }, cancellationToken);
        return current.IsSuccess ? await ForPlanAsync(current.Value.PlanId, cancellationToken) : current.ToFailure();
    }

    public async Task<Result<PlanTerms>> ForPlanAsync(string planId, CancellationToken cancellationToken)
    {
        var plan = await sender.SendAsync(Principal.Module, new GetPlanRequest { Id = planId }, cancellationToken);
        return plan.Status switch
        {
            ResultStatus.Ok => new PlanTerms(planId, plan.Value.Plan.DailyJobLimit, plan.Value.Plan.QueuePriority, plan.Value.Plan.Watermark, plan.Value.Plan.MaxVideoToolsSeconds, plan.Value.Plan.VideoToolsMaxSide),
            // A plan missing from the catalog limits nobody: the user paid for it, the catalog lost it.
            ResultStatus.NotFound => new PlanTerms(planId, 0, 0, Watermark: false, MaxVideoToolsSeconds: 0, VideoToolsMaxSide: 0),
            _ => plan.ToFailure(),
        };
    }
}
