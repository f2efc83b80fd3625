using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Providers.YooKassa;

namespace NanoBanana.Payments.Features;

/// <summary>The signed-in user (Mini App) buys a package; Stars orders get an invoice link for openInvoice.</summary>
internal sealed class CreateTopUp(CallContext call, TopUpCheckout checkout, IOptions<YooKassaOptions> yooKassa) : IUseCaseHandler<CreateTopUpRequest, CreateTopUpResponse>
{
    public async Task<Result<CreateTopUpResponse>> Handle(CreateTopUpRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<CreateTopUpResponse>.Unauthorized("Sign in to top up.");
        }

        var method = request.Method.ToDomain()!.Value;
        if (yooKassa.Value.Receipt.MissingContact(method, request.ReceiptEmail, request.ReceiptPhone) is { } missing)
        {
            return Result<CreateTopUpResponse>.Invalid(missing);
        }

        var started = await checkout.StartAsync(
            call.Principal.UserId,
            request.PackageId,
            method,
            new CheckoutOptions(request.Language, StarsInvoiceLink: true, request.ReturnUrl, request.Embedded, request.ReceiptEmail, request.ReceiptPhone),
            cancellationToken);
        return started.Map(s => new CreateTopUpResponse { TopUp = s.Order.Adapt<TopUp>(), CheckoutUrl = s.CheckoutUrl, ConfirmationToken = s.ConfirmationToken });
    }
}

internal sealed class CreateTopUpValidator : AbstractValidator<CreateTopUpRequest>
{
    public CreateTopUpValidator()
    {
        RuleFor(r => r.PackageId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Method).Must(m => m.ToDomain() is not null).WithMessage("Choose a payment method: stars, yookassa or sandbox.");
        this.CheckoutRules(r => r.ReturnUrl, r => r.ReceiptEmail, r => r.ReceiptPhone);
    }
}
