using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.YooKassa;

namespace NanoBanana.Payments.Settlement;

/// <summary>
/// Acts on a YooKassa payment as fetched from YooKassa's API (never on a notification's body):
/// succeeded → the order is paid, canceled → cancelled, anything else → nothing yet. A plan period's payment also
/// hands over the card it saved and, when cancelled, its reason (ADR 0152).
/// </summary>
internal sealed partial class YooKassaPaymentApplier(YooKassaClient client, PaymentsDbContext db, OrderSettlement settlement, ILogger<YooKassaPaymentApplier> logger)
{
    /// <summary>Re-fetches <paramref name="paymentId"/> and applies it; returns a short outcome for the audit trail.</summary>
    public async Task<string> RefetchAndApplyAsync(string paymentId, CancellationToken cancellationToken)
    {
        var payment = await client.GetPaymentAsync(paymentId, cancellationToken);
        if (payment is null)
        {
            LogUnknownPayment(logger, paymentId);
            return "unknown-payment";
        }

        return await ApplyAsync(payment, cancellationToken);
    }

    public async Task<string> ApplyAsync(YooKassaPayment payment, CancellationToken cancellationToken)
    {
        var orderId = await FindOrderAsync(payment, cancellationToken);
        if (orderId is null)
        {
            LogUnknownOrder(logger, payment.Id);
            return "unknown-order";
        }

        switch (payment.Status)
        {
            case YooKassaPayment.Succeeded:
                var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
                var paid = payment.Amount.ToMinor();
                if (payment.Amount.Currency != order.Currency || paid != order.AmountMinor)
                {
                    // Never credit a payment that does not match what was ordered; an operator looks at it.
                    LogAmountMismatch(logger, order.Id, payment.Id, paid, payment.Amount.Currency, order.AmountMinor, order.Currency);
                    return "amount-mismatch";
                }

                var (outcome, _) = await settlement.SucceedAsync(order.Id, payment.Id, paid, cancellationToken, payment.SavedPaymentMethodId);
                return outcome == SettleOutcome.Settled ? "credited" : "already-settled";
            case YooKassaPayment.Canceled:
                var (cancelled, _) = await settlement.CancelAsync(orderId.Value, cancellationToken, payment.CancellationDetails?.Reason ?? YooKassaPayment.Canceled);
                return cancelled == SettleOutcome.Settled ? "cancelled" : "already-final";
            default:
                return "still-" + payment.Status;
        }
    }

    private async Task<Guid?> FindOrderAsync(YooKassaPayment payment, CancellationToken cancellationToken)
    {
        var byPayment = await db.Orders.AsNoTracking()
            .Where(o => o.Method == OrderMethod.YooKassa && o.ProviderPaymentId == payment.Id)
            .Select(o => (Guid?)o.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (byPayment is not null)
        {
            return byPayment;
        }

        // The create call's answer may have been lost (timeout after YooKassa accepted it): the metadata still names the order.
        if (Guid.TryParse(payment.OrderId, out var fromMetadata)
            && await db.Orders.AnyAsync(o => o.Id == fromMetadata && o.Method == OrderMethod.YooKassa && (o.ProviderPaymentId == null || o.ProviderPaymentId == payment.Id), cancellationToken))
        {
            return fromMetadata;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "YooKassa does not know payment {PaymentId}")]
    private static partial void LogUnknownPayment(ILogger logger, string paymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YooKassa payment {PaymentId} matches no order")]
    private static partial void LogUnknownOrder(ILogger logger, string paymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: YooKassa payment {PaymentId} paid {Paid} {PaidCurrency}, the order is {Amount} {Currency}; not credited")]
    private static partial void LogAmountMismatch(ILogger logger, Guid orderId, string paymentId, long paid, string paidCurrency, long amount, string currency);
}
