using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Catalog.Contracts.V1;

public sealed partial class ListPlansRequest : IUseCase<ListPlansResponse>;

public sealed partial class GetPlanRequest : IUseCase<GetPlanResponse>;

public sealed partial class ListAllPlansRequest : IUseCase<ListAllPlansResponse>;

public sealed partial class UpsertPlanRequest : IUseCase<UpsertPlanResponse>;

/// <summary>Plan ids other modules rely on.</summary>
public static class PlanIds
{
    /// <summary>Everyone's plan without a paid period: after expiry, cancellation or a failed renewal.</summary>
    public const string Free = "free";
}
