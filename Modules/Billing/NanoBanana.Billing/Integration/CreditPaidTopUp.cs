using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.Billing.Persistence;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Billing.Integration;

/// <summary>
/// A paid order becomes credits exactly once (keyed by order id), and on the user's first top-up the
/// extras follow in the same transaction: a redeemed percentage promo, the referee's one-time bonus;
/// on every top-up the referrer's share of the paid credits. A paid plan period (ADR 0150) credits the
/// plan's credits and moves the user's plan expiry in that same transaction, and takes no extras.
/// </summary>
internal sealed class CreditPaidTopUp(BillingDbContext db, TimeProvider clock, IOptions<BillingOptions> options, UseCaseSender sender)
    : InboxEventHandler<PaymentSucceeded, BillingDbContext>(db, clock)
{
    private const string Actor = "event:payments.PaymentSucceeded";

    protected override Task HandleOnceAsync(PaymentSucceeded payment, IntegrationEventContext context, CancellationToken cancellationToken) =>
        BillingTransactions.JoinAsync(
            DbContext,
            async session =>
            {
                if (payment.PlanId.Length > 0)
                {
                    return await ApplyPlanPeriodAsync(session, payment, await CreditsRollOverAsync(payment.PlanId, cancellationToken), Clock.GetUtcNow(), cancellationToken);
                }

                var credits = payment.Credits + payment.BonusCredits;
                if (payment.UserId <= 0 || payment.OrderId.Length == 0 || payment.Credits < 0 || payment.BonusCredits < 0 || credits == 0)
                {
                    return false; // Malformed event: nothing sensible to credit.
                }

                var now = Clock.GetUtcNow();
                var topUp = await session.CreditAsync(payment.UserId, credits, EntryKind.TopUp, $"topup:{payment.OrderId}", payment.OrderId, Actor, now, cancellationToken);
                if (!topUp.Applied)
                {
                    return false; // This order was credited already (its extras with it).
                }

                var topUps = await session.ScalarAsync<long>(
                    "SELECT count(*) FROM billing.ledger WHERE user_id = @user AND kind = @kind",
                    cancellationToken,
                    ("user", payment.UserId),
                    ("kind", (int)EntryKind.TopUp));
                var firstTopUp = topUps == 1;
                if (firstTopUp)
                {
                    await ApplyFirstTopUpPromoAsync(session, payment, now, cancellationToken);
                }

                var referrer = await session.ScalarAsync<long>(
                    "SELECT referrer_id FROM billing.referrals WHERE user_id = @user", cancellationToken, ("user", payment.UserId));
                if (referrer > 0)
                {
                    var settings = options.Value;
                    if (firstTopUp && settings.RefereeFirstTopUpBonus > 0)
                    {
                        await session.CreditAsync(
                            payment.UserId, settings.RefereeFirstTopUpBonus, EntryKind.ReferralBonus, $"referee-bonus:{payment.UserId}", payment.OrderId, Actor, now, cancellationToken);
                    }

                    var share = payment.Credits * settings.ReferralSharePercent / 100;
                    if (share > 0)
                    {
                        await session.CreditAsync(
                            referrer, share, EntryKind.ReferralReward, $"referral:{payment.OrderId}", $"referee:{payment.UserId}", Actor, now, cancellationToken);
                    }
                }

                return true;
            },
            cancellationToken);

    /// <summary>Whether the plan's credits outlive their period; a plan the catalog no longer knows keeps them (the user's side).</summary>
    private async Task<bool> CreditsRollOverAsync(string planId, CancellationToken cancellationToken) =>
        await sender.SendAsync(Principal.Module, new GetPlanRequest { Id = planId }, cancellationToken) is not { IsSuccess: true, Value.Plan.CreditsRollover: false };

    private static async Task<bool> ApplyPlanPeriodAsync(LedgerSession session, PaymentSucceeded payment, bool rollover, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var credits = payment.Credits + payment.BonusCredits;
        if (payment.UserId <= 0 || payment.OrderId.Length == 0 || payment.PeriodEndsAt is null || payment.Credits < 0 || payment.BonusCredits < 0)
        {
            return false; // Malformed event: nothing sensible to apply.
        }

        if (credits > 0)
        {
            var key = $"plan:{payment.OrderId}";
            var period = await session.CreditAsync(payment.UserId, credits, EntryKind.PlanCredits, key, payment.OrderId, Actor, now, cancellationToken);
            if (!period.Applied)
            {
                return false; // This period was applied already.
            }

            if (!rollover)
            {
                // Without rollover the period's credits are spent first and what is left expires with the period (ADR 0161).
                session.Grant(payment.UserId, CreditGrants.Plan, credits, payment.PeriodEndsAt.ToDateTimeOffset(), key, now);
            }
        }

        // Periods may arrive in any order (outbox, redeliveries): the period ending last decides the plan and its end.
        await session.ExecuteAsync(
            """
            INSERT INTO billing.user_plans (user_id, plan_id, expires_at, updated_at) VALUES (@user, @plan, @expires, @now)
            ON CONFLICT (user_id) DO UPDATE SET plan_id = excluded.plan_id, expires_at = excluded.expires_at, updated_at = excluded.updated_at
            WHERE excluded.expires_at >= billing.user_plans.expires_at
            """,
            cancellationToken,
            ("user", payment.UserId),
            ("plan", payment.PlanId),
            ("expires", payment.PeriodEndsAt.ToDateTimeOffset()),
            ("now", now));
        return true;
    }

    private static async Task ApplyFirstTopUpPromoAsync(LedgerSession session, PaymentSucceeded payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            """
            SELECT r.id, c.code, c.percent FROM billing.promo_redemptions r JOIN billing.promo_codes c ON c.code = r.code
            WHERE r.user_id = @user AND c.kind = @kind AND r.applied_at IS NULL
            ORDER BY r.id LIMIT 1
            """,
            ("user", payment.UserId),
            ("kind", (int)PromoKind.FirstTopUpPercent));
        long redemptionId;
        string code;
        int percent;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return;
            }

            (redemptionId, code, percent) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2));
        }

        var extra = payment.Credits * percent / 100;
        if (extra > 0)
        {
            await session.CreditAsync(payment.UserId, extra, EntryKind.Promo, $"promo:{code}:{payment.UserId}:first-top-up", code, Actor, now, cancellationToken);
        }

        await session.ExecuteAsync("UPDATE billing.promo_redemptions SET applied_at = @now WHERE id = @id", cancellationToken, ("id", redemptionId), ("now", now));
    }
}
