using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Features;

/// <summary>
/// The video tools' limits for the bot's card and the Mini App: those of the signed-in caller's current plan
/// (an upgrade shows at once), or of the free plan for anyone else (ADR 0142).
/// </summary>
internal sealed class GetVideoToolsLimits(VideoToolsPlanner planner, VideoToolsOptions options, CallContext call) : IUseCaseHandler<GetVideoToolsLimitsRequest, GetVideoToolsLimitsResponse>
{
    public async Task<Result<GetVideoToolsLimitsResponse>> Handle(GetVideoToolsLimitsRequest request, CancellationToken cancellationToken)
    {
        var allowance = call.Principal.IsUser
            ? await planner.AllowanceForUserAsync(call.Principal.UserId, cancellationToken)
            : await planner.AllowanceForPlanAsync(PlanIds.Free, cancellationToken);
        return allowance.Map(a =>
        {
            var response = new GetVideoToolsLimitsResponse
            {
                PlanId = a.PlanId,
                MaxDurationSeconds = a.MaxDurationSeconds,
                MaxInputBytes = options.MaxInputBytes,
                MaxSideLength = options.MaxSideLength,
                JobsPerDay = a.DailyJobLimit,
                Watermark = a.Watermark,
                MaxOutputSide = a.MaxOutputSide,
            };
            response.TargetLanguages.AddRange(VideoToolsPlanner.TargetLanguages);
            return response;
        });
    }
}
