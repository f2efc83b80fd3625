using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class ReserveRequest : IUseCase<ReserveResponse>;

public sealed partial class CaptureRequest : IUseCase<CaptureResponse>;

public sealed partial class ReleaseRequest : IUseCase<ReleaseResponse>;

public sealed partial class CreditRequest : IUseCase<CreditResponse>;

public sealed partial class DebitRequest : IUseCase<DebitResponse>;
