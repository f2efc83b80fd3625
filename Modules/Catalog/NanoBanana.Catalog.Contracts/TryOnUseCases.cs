using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Catalog.Contracts.V1;

public sealed partial class GetTryOnOfferRequest : IUseCase<GetTryOnOfferResponse>;

public sealed partial class UpdateTryOnOfferRequest : IUseCase<UpdateTryOnOfferResponse>;
