using NanoBanana.Bot.Conversation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Telegram's successful_payment → Payments credits the order (idempotent on
/// telegram_payment_charge_id) → one confirmation with the new balance. A redelivered payment
/// (a new update carrying the same charge) credits nothing and says nothing. A plan period (first
/// payment or renewal of a Stars subscription) says which plan runs until when.
/// </summary>
internal sealed class SuccessfulPaymentReceipt(ModuleGateway modules, Balances balances) : IChatFeature
{
    public bool ClaimsUpdate(Incoming incoming) => incoming.Update.Message?.SuccessfulPayment is not null;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var payment = incoming.Update.Message!.SuccessfulPayment!;
        var before = await balances.GetAsync(session.UserId, cancellationToken);
        var confirmed = (await modules.AsModuleAsync(new ConfirmStarsPaymentRequest
        {
            UserId = session.UserId,
            InvoicePayload = payment.InvoicePayload,
            Currency = payment.Currency,
            TotalAmount = payment.TotalAmount,
            TelegramPaymentChargeId = payment.TelegramPaymentChargeId,
            ProviderPaymentChargeId = payment.ProviderPaymentChargeId,
            IsRecurring = payment.IsRecurring,
            IsFirstRecurring = payment.IsFirstRecurring,
            SubscriptionExpirationDate = payment.SubscriptionExpirationDate is { } end ? new DateTimeOffset(end, TimeSpan.Zero).ToUnixTimeSeconds() : 0,
        }, cancellationToken)).Require("ConfirmStarsPayment");
        if (!confirmed.NewlyConfirmed)
        {
            return;
        }

        // Payments hands the credits to Billing through its outbox, so they land a moment later;
        // the balance read before this confirmation plus the order's credits is what the user will have.
        var credits = confirmed.TopUp.Credits + confirmed.TopUp.BonusCredits;
        if (confirmed.Subscription is { } subscription)
        {
            var plan = (await modules.AsModuleAsync(new GetPlanRequest { Id = subscription.PlanId }, cancellationToken)).Require("GetPlan").Plan;
            session.Send(
                session.T(subscription.PeriodsPaid > 1 ? "plans.renewed" : "plans.activated", Plans.Title(session, plan), Plans.Day(subscription.ExpiresAt), credits, before.Available + credits),
                reply: Keyboards.MainMenu(session));
            return;
        }

        session.Send(
            session.T("topup.paid", credits, before.Available + credits),
            reply: Keyboards.MainMenu(session));
    }
}
