using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Generation.Contracts.V1;

public sealed partial class InspectVideoForToolsRequest : IUseCase<InspectVideoForToolsResponse>;

public sealed partial class QuoteVideoToolsRequest : IUseCase<QuoteVideoToolsResponse>;

public sealed partial class StartVideoToolsForUserRequest : IUseCase<StartVideoToolsForUserResponse>;

public sealed partial class GetVideoToolsLimitsRequest : IUseCase<GetVideoToolsLimitsResponse>;
