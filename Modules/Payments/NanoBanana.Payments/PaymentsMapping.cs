using Mapster;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments;

/// <summary>
/// Entity → contract pairs of the Payments module (conventions: <see cref="BuildingBlocks.Mapping.ProtoMapping"/>).
/// Same-named members map by convention; ids become strings and the enums are spelled out.
/// </summary>
internal sealed class PaymentsMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        // Names differ (YooKassa / Yookassa); the domain numbers are the proto's.
        config.NewConfig<OrderMethod, PaymentMethod>().MapWith(method => (PaymentMethod)(int)method);
        config.NewConfig<OrderStatus, TopUpStatus>().MapWith(status => (TopUpStatus)(int)status);

        config.NewConfig<TopUpOrder, TopUp>()
            .Map(dest => dest.OrderId, src => src.Id.ToString());

        config.NewConfig<Domain.SubscriptionStatus, Contracts.V1.SubscriptionStatus>().MapWith(status => (Contracts.V1.SubscriptionStatus)(int)status);
        config.NewConfig<PlanSubscription, Subscription>()
            .Map(dest => dest.Id, src => src.Id.ToString());

        config.NewConfig<Domain.SupportRequest, Contracts.V1.SupportRequest>()
            .Map(dest => dest.Id, src => src.Id.ToString())
            .Map(dest => dest.OrderId, src => src.OrderId.HasValue ? src.OrderId.Value.ToString() : string.Empty);
    }
}
