using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Features;

/// <summary>The video tools' limits (one default set until plans exist) for the bot's card and the Mini App.</summary>
internal sealed class GetVideoToolsLimits(VideoToolsOptions options) : IUseCaseHandler<GetVideoToolsLimitsRequest, GetVideoToolsLimitsResponse>
{
    public Task<Result<GetVideoToolsLimitsResponse>> Handle(GetVideoToolsLimitsRequest request, CancellationToken cancellationToken)
    {
        var response = new GetVideoToolsLimitsResponse
        {
            MaxDurationSeconds = options.MaxDurationSeconds,
            MaxInputBytes = options.MaxInputBytes,
            MaxSideLength = options.MaxSideLength,
            JobsPerDay = options.JobsPerDay,
            Watermark = options.Watermark,
        };
        response.TargetLanguages.AddRange(VideoToolsPlanner.TargetLanguages);
        return Task.FromResult(Result.Success(response));
    }
}
