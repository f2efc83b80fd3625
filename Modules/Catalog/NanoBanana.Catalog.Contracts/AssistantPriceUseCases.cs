using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Catalog.Contracts.V1;

public sealed partial class GetAssistantPriceRequest : IUseCase<GetAssistantPriceResponse>;

public sealed partial class SetAssistantPriceRequest : IUseCase<SetAssistantPriceResponse>;
