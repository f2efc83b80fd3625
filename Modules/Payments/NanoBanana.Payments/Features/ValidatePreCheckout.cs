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
        var english = PaymentsInput.IsEnglish(request.Language);
        if (PlanSubscription.TryParsePayload(request.InvoicePayload, out var subscriptionId))
        {
            return Verdict(await CheckSubscriptionAsync(request, subscriptionId, english, cancellationToken));
        }

        var order = Guid.TryParse(request.InvoicePayload, out var id)
            ? await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
            : null;

        string? refusal = order switch
        {
            null => english ? "This invoice is not ours or no longer exists. Please start a new top-up." : "Этот счёт не найден. Начните пополнение заново.",
            _ when order.UserId != request.UserId => english ? "This invoice was issued to another user." : "Этот счёт выставлен другому пользователю.",
            _ when order.Method != OrderMethod.Stars || request.Currency != order.Currency || request.TotalAmount != order.AmountMinor =>
                english ? "The invoice amount does not match the order. Please start a new top-up." : "Сумма счёта не совпадает с заказом. Начните пополнение заново.",
            _ when order.IsPaid => english ? "This invoice is already paid." : "Этот счёт уже оплачен.",
            _ when order.Status != OrderStatus.Pending || order.ExpiresAt <= clock.GetUtcNow() =>
                english ? "This invoice has expired. Please start a new top-up." : "Срок действия счёта истёк. Начните пополнение заново.",
            _ => null,
        };
        return Verdict(refusal);
    }

    /// <summary>A subscription's first payment: this user's, at the price copied when subscribing, and not a second running one.</summary>
    private async Task<string?> CheckSubscriptionAsync(ValidatePreCheckoutRequest request, Guid id, bool english, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        var now = clock.GetUtcNow();
        return subscription switch
        {
            null => english ? "This subscription invoice is not ours or no longer exists. Please choose the plan again." : "Этот счёт на подписку не найден. Выберите тариф заново.",
            _ when subscription.UserId != request.UserId => english ? "This invoice was issued to another user." : "Этот счёт выставлен другому пользователю.",
            _ when request.Currency != "XTR" || request.TotalAmount != subscription.PriceStars =>
                english ? "The invoice amount does not match the plan. Please choose the plan again." : "Сумма счёта не совпадает с тарифом. Выберите тариф заново.",
            _ when subscription.Status == Domain.SubscriptionStatus.Pending
                && await db.FindRunningSubscriptionAsync(request.UserId, now, tracked: false, cancellationToken) is not null =>
                english ? "You already have a running plan. Cancel it and let it run out first." : "У вас уже есть действующий тариф. Отмените его и дождитесь окончания.",
            _ => null,
        };
    }

    private static ValidatePreCheckoutResponse Verdict(string? refusal) => new() { Ok = refusal is null, ErrorMessage = refusal ?? string.Empty };
}
