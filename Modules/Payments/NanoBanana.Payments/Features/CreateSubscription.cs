using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>
/// The signed-in user (Mini App) subscribes to a plan: Stars → the invoice link for Telegram.WebApp.openInvoice (the
/// payment then arrives in the bot's chat as successful_payment); card → one period's YooKassa confirmation (ADR 0152).
/// </summary>
internal sealed class CreateSubscription(CallContext call, SubscriptionCheckout checkout, IOptions<YooKassaOptions> yooKassa) : IUseCaseHandler<CreateSubscriptionRequest, CreateSubscriptionResponse>
{
    public async Task<Result<CreateSubscriptionResponse>> Handle(CreateSubscriptionRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<CreateSubscriptionResponse>.Unauthorized("Sign in to subscribe.");
        }

        var method = request.Method.ToDomain()!.Value;
        if (yooKassa.Value.Receipt.MissingContact(method, request.ReceiptEmail, request.ReceiptPhone) is { } missing)
        {
            return Result<CreateSubscriptionResponse>.Invalid(missing);
        }

        var started = await checkout.StartAsync(
            call.Principal.UserId,
            request.PlanId,
            method,
            request.AutoRenew,
            new CheckoutOptions(request.Language, StarsInvoiceLink: true, request.ReturnUrl, request.Embedded, request.ReceiptEmail, request.ReceiptPhone),
            cancellationToken);
        return started.Map(s => new CreateSubscriptionResponse
        {
            Subscription = s.Subscription.Adapt<Subscription>(),
            CheckoutUrl = s.CheckoutUrl,
            ConfirmationToken = s.ConfirmationToken,
            OrderId = s.Order?.Id.ToString() ?? string.Empty,
        });
    }
}

internal sealed class CreateSubscriptionValidator : AbstractValidator<CreateSubscriptionRequest>
{
    public CreateSubscriptionValidator()
    {
        RuleFor(r => r.PlanId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Method).Must(m => m is PaymentMethod.Stars or PaymentMethod.Yookassa).WithMessage("Plans are paid with stars or yookassa.");
        RuleFor(r => r.AutoRenew).Equal(false).When(r => r.Method == PaymentMethod.Stars).WithMessage("auto_renew is for card payments; Telegram renews Stars plans itself.");
        this.CheckoutRules(r => r.ReturnUrl, r => r.ReceiptEmail, r => r.ReceiptPhone);
    }
}
