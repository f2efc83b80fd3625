using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Redeems a code for the caller: a fixed code credits at once; a percentage code is remembered and paid
/// when the first top-up is credited. All checks run under the caller's account lock, and the total limit
/// is taken with one conditional update, so racing redemptions cannot exceed either limit.
/// </summary>
internal sealed class RedeemPromoCode(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<RedeemPromoCodeRequest, RedeemPromoCodeResponse>
{
    public async Task<Result<RedeemPromoCodeResponse>> Handle(RedeemPromoCodeRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<RedeemPromoCodeResponse>();
        }

        var language = request.Language;
        return await transactions.RunAsync(
            async session =>
            {
                var now = clock.GetUtcNow();
                var account = await session.LockAccountAsync(userId, now, cancellationToken);
                var code = PromoCodes.Normalize(request.Code);
                var found = await session.QueryAsync("WHERE code = @code", cancellationToken, ("code", code));
                if (found.Count == 0 || !found[0].Active)
                {
                    return Result<RedeemPromoCodeResponse>.NotFound(Texts.Catalog.Get(language, "promo.not_found", code));
                }

                var promo = found[0];
                if ((promo.ValidFrom is not null && now < promo.ValidFrom.ToDateTimeOffset()) || (promo.ValidUntil is not null && now >= promo.ValidUntil.ToDateTimeOffset()))
                {
                    return Result<RedeemPromoCodeResponse>.Conflict(Texts.Catalog.Get(language, "promo.not_active", code));
                }

                var mine = await session.ScalarAsync<long>(
                    "SELECT count(*) FROM billing.promo_redemptions WHERE code = @code AND user_id = @user", cancellationToken, ("code", code), ("user", userId));
                if (mine >= promo.PerUserLimit)
                {
                    return Result<RedeemPromoCodeResponse>.Conflict(Texts.Catalog.Get(language, "promo.already_redeemed", code));
                }

                if (promo.Kind == PromoKind.FirstTopUpPercent)
                {
                    var toppedUp = await session.ScalarAsync<bool>(
                        "SELECT EXISTS (SELECT 1 FROM billing.ledger WHERE user_id = @user AND kind = @kind)", cancellationToken, ("user", userId), ("kind", (int)EntryKind.TopUp));
                    var pending = await session.ScalarAsync<bool>(
                        """
                        SELECT EXISTS (SELECT 1 FROM billing.promo_redemptions r JOIN billing.promo_codes c ON c.code = r.code
                                       WHERE r.user_id = @user AND c.kind = @kind AND r.applied_at IS NULL)
                        """,
                        cancellationToken,
                        ("user", userId),
                        ("kind", (int)PromoKind.FirstTopUpPercent));
                    if (toppedUp || pending)
                    {
                        return Result<RedeemPromoCodeResponse>.Conflict(toppedUp
                            ? Texts.Catalog.Get(language, "promo.first_top_up_only", code)
                            : Texts.Catalog.Get(language, "promo.bonus_waiting"));
                    }
                }

                var taken = await session.ExecuteAsync(
                    "UPDATE billing.promo_codes SET redemptions = redemptions + 1 WHERE code = @code AND (max_redemptions = 0 OR redemptions < max_redemptions)",
                    cancellationToken,
                    ("code", code));
                if (taken == 0)
                {
                    return Result<RedeemPromoCodeResponse>.Conflict(Texts.Catalog.Get(language, "promo.used_up", code));
                }

                await session.ExecuteAsync(
                    "INSERT INTO billing.promo_redemptions (code, user_id, redeemed_at) VALUES (@code, @user, @now)",
                    cancellationToken,
                    ("code", code),
                    ("user", userId),
                    ("now", now));
                if (promo.Kind == PromoKind.FirstTopUpPercent)
                {
                    return Result<RedeemPromoCodeResponse>.Success(new RedeemPromoCodeResponse
                    {
                        FirstTopUpPercent = promo.Percent,
                        Balance = account.Adapt<Balance>(),
                        Message = Texts.Catalog.Get(language, "promo.redeemed_percent", promo.Percent),
                    });
                }

                var credit = await session.CreditAsync(userId, promo.Credits, EntryKind.Promo, $"promo:{code}:{userId}:{mine + 1}", code, call.Principal.Actor, now, cancellationToken);
                return credit.Result.Map(c => new RedeemPromoCodeResponse
                {
                    Credited = promo.Credits,
                    Balance = c.Balance,
                    Message = Texts.Catalog.Get(language, "promo.redeemed_credits", promo.Credits),
                });
            },
            cancellationToken);
    }
}

internal sealed class RedeemPromoCodeValidator : AbstractValidator<RedeemPromoCodeRequest>
{
    public RedeemPromoCodeValidator()
    {
        RuleFor(r => r.Code).NotEmpty().MaximumLength(32).WithMessage("Enter a promo code (up to 32 characters).");
        RuleFor(r => r.Language).MustBeLanguage();
    }
}
