using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class ReserveRequest : IUseCase<ReserveResponse>;

public sealed partial class CaptureRequest : IUseCase<CaptureResponse>;

public sealed partial class ReleaseRequest : IUseCase<ReleaseResponse>;

public sealed partial class CreditRequest : IUseCase<CreditResponse>;

public sealed partial class DebitRequest : IUseCase<DebitResponse>;

public sealed partial class GetReferralEarningsRequest : IUseCase<GetReferralEarningsResponse>;

public sealed partial class GetBalanceRequest : IUseCase<GetBalanceResponse>;

public sealed partial class ListTransactionsRequest : IUseCase<ListTransactionsResponse>;

public sealed partial class RedeemPromoCodeRequest : IUseCase<RedeemPromoCodeResponse>;

public sealed partial class ClaimDailyRewardRequest : IUseCase<ClaimDailyRewardResponse>;

public sealed partial class GetDailyRewardStatusRequest : IUseCase<GetDailyRewardStatusResponse>;

public sealed partial class AdjustBalanceRequest : IUseCase<AdjustBalanceResponse>;

public sealed partial class GetUserLedgerRequest : IUseCase<GetUserLedgerResponse>;

public sealed partial class CreatePromoCodeRequest : IUseCase<CreatePromoCodeResponse>;

public sealed partial class ListPromoCodesRequest : IUseCase<ListPromoCodesResponse>;

public sealed partial class DeactivatePromoCodeRequest : IUseCase<DeactivatePromoCodeResponse>;

public sealed partial class CheckLedgerRequest : IUseCase<CheckLedgerResponse>;

public sealed partial class GetUserPlanRequest : IUseCase<GetUserPlanResponse>;
