using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments.Features;

/// <summary>The bot buys a package for a chat user; a Stars order comes back as sendInvoice parameters (payload = order id).</summary>
internal sealed class CreateBotTopUp(TopUpCheckout checkout) : IUseCaseHandler<CreateBotTopUpRequest, CreateBotTopUpResponse>
{
    public async Task<Result<CreateBotTopUpResponse>> Handle(CreateBotTopUpRequest request, CancellationToken cancellationToken)
    {
        var method = request.Method.ToDomain()!.Value;
        var started = await checkout.StartAsync(request.UserId, request.PackageId, method, new CheckoutOptions(request.Language, StarsInvoiceLink: false), cancellationToken);
        return started.Map(s =>
        {
            var response = new CreateBotTopUpResponse { TopUp = s.Order.Adapt<TopUp>(), CheckoutUrl = s.CheckoutUrl };
            if (method == OrderMethod.Stars)
            {
                var title = Texts.IsEnglish(request.Language) ? s.Package.TitleEn : s.Package.TitleRu;
                response.Invoice = new StarsInvoice
                {
                    Title = title,
                    Description = TopUpCheckout.Describe(s.Package, request.Language),
                    Payload = s.Order.Id.ToString("N"),
                    Currency = s.Order.Currency,
                    PriceLabel = title,
                    Amount = s.Order.AmountMinor,
                };
            }

            return response;
        });
    }
}

internal sealed class CreateBotTopUpValidator : AbstractValidator<CreateBotTopUpRequest>
{
    public CreateBotTopUpValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.PackageId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Method).Must(m => m.ToDomain() is not null).WithMessage("Choose a payment method: stars, yookassa or sandbox.");
    }
}
