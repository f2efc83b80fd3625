using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>The bot subscribes a chat user to a plan with Stars: a pending subscription and Telegram's invoice link with the 30-day period.</summary>
internal sealed class CreateBotSubscription(SubscriptionCheckout checkout) : IUseCaseHandler<CreateBotSubscriptionRequest, CreateBotSubscriptionResponse>
{
    public async Task<Result<CreateBotSubscriptionResponse>> Handle(CreateBotSubscriptionRequest request, CancellationToken cancellationToken) =>
        (await checkout.StartAsync(request.UserId, request.PlanId, OrderMethod.Stars, autoRenew: false, new CheckoutOptions(request.Language, StarsInvoiceLink: true), cancellationToken))
            .Map(s => new CreateBotSubscriptionResponse { Subscription = s.Subscription.Adapt<Subscription>(), InvoiceLink = s.CheckoutUrl });
}

internal sealed class CreateBotSubscriptionValidator : AbstractValidator<CreateBotSubscriptionRequest>
{
    public CreateBotSubscriptionValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.PlanId).NotEmpty().MaximumLength(64);
    }
}
