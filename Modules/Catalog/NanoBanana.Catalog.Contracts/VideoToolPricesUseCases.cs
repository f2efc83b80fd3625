using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Catalog.Contracts.V1;

public sealed partial class ListVideoToolPricesRequest : IUseCase<ListVideoToolPricesResponse>;

public sealed partial class UpsertVideoToolPriceRequest : IUseCase<UpsertVideoToolPriceResponse>;
