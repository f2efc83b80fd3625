using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

/// <summary>Adds a promo code; an existing code is a conflict (codes are never edited, only deactivated).</summary>
internal sealed class CreatePromoCode(BillingTransactions transactions, TimeProvider clock) : IUseCaseHandler<CreatePromoCodeRequest, CreatePromoCodeResponse>
{
    public Task<Result<CreatePromoCodeResponse>> Handle(CreatePromoCodeRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync<Result<CreatePromoCodeResponse>>(
            async session =>
            {
                var promo = request.PromoCode;
                var code = PromoCodes.Normalize(promo.Code);
                var inserted = await session.ExecuteAsync(
                    """
                    INSERT INTO billing.promo_codes (code, kind, credits, percent, valid_from, valid_until, max_redemptions, per_user_limit, active, redemptions, created_at)
                    VALUES (@code, @kind, @credits, @percent, @from, @until, @max, @perUser, @active, 0, @now)
                    ON CONFLICT (code) DO NOTHING
                    """,
                    cancellationToken,
                    ("code", code),
                    ("kind", (int)promo.Kind),
                    ("credits", promo.Kind == PromoKind.FixedCredits ? promo.Credits : 0L),
                    ("percent", promo.Kind == PromoKind.FirstTopUpPercent ? promo.Percent : 0),
                    ("from", promo.ValidFrom?.ToDateTimeOffset()),
                    ("until", promo.ValidUntil?.ToDateTimeOffset()),
                    ("max", promo.MaxRedemptions),
                    ("perUser", promo.PerUserLimit == 0 ? 1 : promo.PerUserLimit),
                    ("active", promo.Active),
                    ("now", clock.GetUtcNow()));
                if (inserted == 0)
                {
                    return Result<CreatePromoCodeResponse>.Conflict($"Promo code {code} already exists.");
                }

                var created = await session.QueryAsync("WHERE code = @code", cancellationToken, ("code", code));
                return new CreatePromoCodeResponse { PromoCode = created[0] };
            },
            cancellationToken);
}

internal sealed class CreatePromoCodeValidator : AbstractValidator<CreatePromoCodeRequest>
{
    public CreatePromoCodeValidator()
    {
        RuleFor(r => r.PromoCode).NotNull().WithMessage("A promo code is required.");
        When(r => r.PromoCode is not null, () =>
        {
            RuleFor(r => r.PromoCode.Code).Matches("^[A-Za-z0-9_-]{3,32}$").WithMessage("A code is 3 to 32 letters, digits, '-' or '_'.");
            RuleFor(r => r.PromoCode.Kind).Must(k => k is PromoKind.FixedCredits or PromoKind.FirstTopUpPercent).WithMessage("Kind must be FIXED_CREDITS or FIRST_TOP_UP_PERCENT.");
            RuleFor(r => r.PromoCode.Credits).InclusiveBetween(1, 1_000_000).When(r => r.PromoCode.Kind == PromoKind.FixedCredits)
                .WithMessage("A fixed code grants 1 to 1,000,000 credits.");
            RuleFor(r => r.PromoCode.Percent).InclusiveBetween(1, 500).When(r => r.PromoCode.Kind == PromoKind.FirstTopUpPercent)
                .WithMessage("A percentage code adds 1 to 500 %.");
            RuleFor(r => r.PromoCode.MaxRedemptions).GreaterThanOrEqualTo(0).WithMessage("Max redemptions cannot be negative (0: unlimited).");
            RuleFor(r => r.PromoCode.PerUserLimit).InclusiveBetween(0, 100).WithMessage("The per-user limit is 0 (means 1) to 100.");
            RuleFor(r => r.PromoCode.ValidUntil).Must((r, until) => r.PromoCode.ValidFrom is null || until is null || until.ToDateTimeOffset() > r.PromoCode.ValidFrom.ToDateTimeOffset())
                .WithMessage("valid_until must be after valid_from.");
        });
    }
}
