using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>
/// Telegram's pre_checkout_query: approve only a pending, unexpired Stars order of this user with
/// exactly this amount, or a subscription invoice of this user at its price; otherwise a refusal the user
/// can understand (Telegram shows it).
/// </summary>
internal sealed class ValidatePreCheckout(PaymentsDbContext db, TimeProvider clock) : IUseCaseHandler<ValidatePreCheckoutRequest, ValidatePreCheckoutResponse>
{
    public async Task<Result<ValidatePreCheckoutResponse>> Handle(ValidatePreCheckoutRequest request, CancellationToken cancellationToken)
    {
        var language = request.Language;
        if (PlanSubscription.TryParsePayload(request.InvoicePayload, out var subscriptionId))
        {
            return Verdict(await CheckSubscriptionAsync(request, subscriptionId, cancellationToken), language);
        }

        var order = Guid.TryParse(request.InvoicePayload, out var id)
            ? await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
            : null;

        string? refusalKey = order switch
        {
            null => "pre_checkout.order_not_found",
            _ when order.UserId != request.UserId => "pre_checkout.other_user",
            _ when order.Method != OrderMethod.Stars || request.Currency != order.Currency || request.TotalAmount != order.AmountMinor =>
                "pre_checkout.order_amount_differs",
            _ when order.IsPaid => "pre_checkout.already_paid",
            _ when order.Status != OrderStatus.Pending || order.ExpiresAt <= clock.GetUtcNow() =>
                "pre_checkout.expired",
            _ => null,
        };
        return Verdict(refusalKey, language);
    }

    /// <summary>A subscription's first payment: this user's, at the price copied when subscribing, and not a second running one.</summary>
    private async Task<string?> CheckSubscriptionAsync(ValidatePreCheckoutRequest request, Guid id, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        var now = clock.GetUtcNow();
        return subscription switch
        {
            null => "pre_checkout.subscription_not_found",
            _ when subscription.UserId != request.UserId => "pre_checkout.other_user",
            _ when request.Currency != "XTR" || request.TotalAmount != subscription.PriceStars =>
                "pre_checkout.plan_amount_differs",
            _ when subscription.Status == Domain.SubscriptionStatus.Pending
                && await db.FindRunningSubscriptionAsync(request.UserId, now, tracked: false, cancellationToken) is not null =>
                "pre_checkout.plan_running",
            _ => null,
        };
    }

    /// <summary>Approval, or the refusal's text (by its key) in the payer's language.</summary>
    private static ValidatePreCheckoutResponse Verdict(string? refusalKey, string language) =>
        new() { Ok = refusalKey is null, ErrorMessage = refusalKey is null ? string.Empty : Texts.Catalog.Get(language, refusalKey) };
}
