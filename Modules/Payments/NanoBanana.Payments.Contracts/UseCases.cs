using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Payments.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class CreateTopUpRequest : IUseCase<CreateTopUpResponse>;

public sealed partial class CreateBotTopUpRequest : IUseCase<CreateBotTopUpResponse>;

public sealed partial class GetTopUpRequest : IUseCase<GetTopUpResponse>;

public sealed partial class WatchTopUpRequest : IStreamUseCase<WatchTopUpResponse>;

public sealed partial class ListMyTopUpsRequest : IUseCase<ListMyTopUpsResponse>;

public sealed partial class ValidatePreCheckoutRequest : IUseCase<ValidatePreCheckoutResponse>;

public sealed partial class ConfirmStarsPaymentRequest : IUseCase<ConfirmStarsPaymentResponse>;

public sealed partial class ConfirmSandboxPaymentRequest : IUseCase<ConfirmSandboxPaymentResponse>;

public sealed partial class CancelSandboxPaymentRequest : IUseCase<CancelSandboxPaymentResponse>;

public sealed partial class RefundPaymentRequest : IUseCase<RefundPaymentResponse>;

public sealed partial class CreateSupportRequestRequest : IUseCase<CreateSupportRequestResponse>;

public sealed partial class ListSupportRequestsRequest : IUseCase<ListSupportRequestsResponse>;

public sealed partial class GetRevenueReportRequest : IUseCase<GetRevenueReportResponse>;

public sealed partial class GetPaymentStatsRequest : IUseCase<GetPaymentStatsResponse>;

public sealed partial class ListPaymentMethodsRequest : IUseCase<ListPaymentMethodsResponse>;

public sealed partial class CreateBotSubscriptionRequest : IUseCase<CreateBotSubscriptionResponse>;

public sealed partial class RecordSubscriptionUpdateRequest : IUseCase<RecordSubscriptionUpdateResponse>;

public sealed partial class CreateSubscriptionRequest : IUseCase<CreateSubscriptionResponse>;

public sealed partial class GetMySubscriptionRequest : IUseCase<GetMySubscriptionResponse>;

public sealed partial class CancelMySubscriptionRequest : IUseCase<CancelMySubscriptionResponse>;

public sealed partial class ResumeMySubscriptionRequest : IUseCase<ResumeMySubscriptionResponse>;
