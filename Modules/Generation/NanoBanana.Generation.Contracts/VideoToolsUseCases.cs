using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Generation.Contracts.V1;

public sealed partial class InspectVideoForToolsRequest : IUseCase<InspectVideoForToolsResponse>;

public sealed partial class QuoteVideoToolsRequest : IUseCase<QuoteVideoToolsResponse>;

public sealed partial class StartVideoToolsForUserRequest : IUseCase<StartVideoToolsForUserResponse>;

public sealed partial class GetVideoToolsLimitsRequest : IUseCase<GetVideoToolsLimitsResponse>;

/// <summary>Field names of the video tools' validation errors that callers word themselves.</summary>
public static class VideoToolsFields
{
    /// <summary>Quote or start refused: the video is longer than the user's plan allows now (the plan changed since the upload).</summary>
    public const string Duration = "duration";
}
