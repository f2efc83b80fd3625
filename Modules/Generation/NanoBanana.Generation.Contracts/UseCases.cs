using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Generation.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class QuoteGenerationRequest : IUseCase<QuoteGenerationResponse>;

public sealed partial class StartGenerationRequest : IUseCase<StartGenerationResponse>;

public sealed partial class CancelGenerationRequest : IUseCase<CancelGenerationResponse>;

public sealed partial class GetGenerationRequest : IUseCase<GetGenerationResponse>;

public sealed partial class ListMyGenerationsRequest : IUseCase<ListMyGenerationsResponse>;

public sealed partial class WatchJobRequest : IStreamUseCase<WatchJobResponse>;

public sealed partial class GetGenerationStatsRequest : IUseCase<GetGenerationStatsResponse>;

public sealed partial class GetMediaContentRequest : IUseCase<GetMediaContentResponse>;

public sealed partial class ListAvailableModelsRequest : IUseCase<ListAvailableModelsResponse>;
