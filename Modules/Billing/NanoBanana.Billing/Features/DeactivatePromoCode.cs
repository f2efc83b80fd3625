using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

/// <summary>Stops a code from being redeemed; percentages already redeemed still apply on the first top-up.</summary>
internal sealed class DeactivatePromoCode(BillingTransactions transactions) : IUseCaseHandler<DeactivatePromoCodeRequest, DeactivatePromoCodeResponse>
{
    public Task<Result<DeactivatePromoCodeResponse>> Handle(DeactivatePromoCodeRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync<Result<DeactivatePromoCodeResponse>>(
            async session =>
            {
                var code = PromoCodes.Normalize(request.Code);
                await session.ExecuteAsync("UPDATE billing.promo_codes SET active = false WHERE code = @code", cancellationToken, ("code", code));
                var codes = await session.QueryAsync("WHERE code = @code", cancellationToken, ("code", code));
                return codes.Count == 0
                    ? Result<DeactivatePromoCodeResponse>.NotFound($"Promo code {code} does not exist.")
                    : new DeactivatePromoCodeResponse { PromoCode = codes[0] };
            },
            cancellationToken);
}

internal sealed class DeactivatePromoCodeValidator : AbstractValidator<DeactivatePromoCodeRequest>
{
    public DeactivatePromoCodeValidator() => RuleFor(r => r.Code).NotEmpty().MaximumLength(32).WithMessage("A code is required.");
}
