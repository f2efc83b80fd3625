using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.Billing.Persistence;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Billing.Integration;

/// <summary>
/// A refunded order takes its credits back, once per order. Payments refunds only unspent top-ups; should
/// the user have spent some meanwhile, only what is available is debited (a balance never goes negative).
/// </summary>
internal sealed class DebitRefundedTopUp(BillingDbContext db, TimeProvider clock, BillingTransactions transactions)
    : InboxEventHandler<PaymentRefunded, BillingDbContext>(db, clock)
{
    private const string Actor = "event:payments.PaymentRefunded";

    protected override Task HandleOnceAsync(PaymentRefunded refund, IntegrationEventContext context, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            async session =>
            {
                if (refund.UserId <= 0 || refund.OrderId.Length == 0 || refund.Credits <= 0)
                {
                    return false;
                }

                var now = Clock.GetUtcNow();
                var account = await session.LockAccountAsync(refund.UserId, now, cancellationToken);
                var amount = Math.Min(refund.Credits, account.Available);
                if (amount > 0)
                {
                    await session.DebitAsync(refund.UserId, amount, EntryKind.TopUpRefund, $"topup-refund:{refund.OrderId}", refund.OrderId, Actor, now, cancellationToken);
                }

                return true;
            },
            cancellationToken);
}
