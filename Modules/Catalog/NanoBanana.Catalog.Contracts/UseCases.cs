using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Catalog.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class ListModelsRequest : IUseCase<ListModelsResponse>;

public sealed partial class GetModelRequest : IUseCase<GetModelResponse>;

public sealed partial class ListPackagesRequest : IUseCase<ListPackagesResponse>;

public sealed partial class ListAllModelsRequest : IUseCase<ListAllModelsResponse>;

public sealed partial class UpsertModelRequest : IUseCase<UpsertModelResponse>;

public sealed partial class SetModelActiveRequest : IUseCase<SetModelActiveResponse>;

public sealed partial class ReorderModelsRequest : IUseCase<ReorderModelsResponse>;

public sealed partial class UpsertPackageRequest : IUseCase<UpsertPackageResponse>;

public sealed partial class ListAllPackagesRequest : IUseCase<ListAllPackagesResponse>;

public sealed partial class SetModelProviderListedRequest : IUseCase<SetModelProviderListedResponse>;
