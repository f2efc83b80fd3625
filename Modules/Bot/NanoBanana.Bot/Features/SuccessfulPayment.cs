using NanoBanana.Bot.Conversation;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Telegram's successful_payment → Payments credits the order (idempotent on
/// telegram_payment_charge_id) → one confirmation with the new balance. A redelivered payment
/// (a new update carrying the same charge) credits nothing and says nothing.
/// </summary>
internal sealed class SuccessfulPaymentReceipt(ModuleGateway modules, Balances balances)
{
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
        }, cancellationToken)).Require("ConfirmStarsPayment");
        if (!confirmed.NewlyConfirmed)
        {
            return;
        }

        // Payments hands the credits to Billing through its outbox, so they land a moment later;
        // the balance read before this confirmation plus the order's credits is what the user will have.
        var credits = confirmed.TopUp.Credits + confirmed.TopUp.BonusCredits;
        session.Send(
            session.T("topup.paid", credits, before.Available + credits),
            reply: Keyboards.MainMenu(session));
    }
}
