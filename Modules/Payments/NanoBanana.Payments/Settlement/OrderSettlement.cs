using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Settlement;

internal enum SettleOutcome
{
    Settled,
    AlreadySettled,
    UnknownOrder,
    NotApplicable,
}

/// <summary>
/// The one place an order changes to succeeded or cancelled. Each change runs in its own
/// transaction under the order's row lock, and PaymentSucceeded enters the outbox in that same
/// transaction only on the pending/cancelled → succeeded transition: whatever the number of
/// notifications, replicas or retries, an order is credited once.
/// </summary>
internal sealed partial class OrderSettlement(PaymentsDbContext db, Accounting accounting, TimeProvider clock, IServiceProvider services, ILogger<OrderSettlement> logger)
{
    public async Task<(SettleOutcome Outcome, TopUpOrder? Order)> SucceedAsync(Guid orderId, string providerPaymentId, long paidAmountMinor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null)
        {
            return (SettleOutcome.UnknownOrder, null);
        }

        if (!MarkSucceeded(order, providerPaymentId, paidAmountMinor))
        {
            return (SettleOutcome.AlreadySettled, order);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.NotifyOutbox();
        return (SettleOutcome.Settled, order);
    }

    /// <summary>Marks a locked, tracked order paid and queues PaymentSucceeded; the caller saves and commits.</summary>
    public bool MarkSucceeded(TopUpOrder order, string providerPaymentId, long paidAmountMinor)
    {
        var now = clock.GetUtcNow();
        if (!order.MarkSucceeded(providerPaymentId, paidAmountMinor, accounting, now))
        {
            return false;
        }

        db.AddIntegrationEvent(
            new PaymentSucceeded
            {
                OrderId = order.Id.ToString(),
                UserId = order.UserId,
                PackageId = order.PackageId,
                Credits = order.Credits,
                BonusCredits = order.BonusCredits,
                AmountMinor = order.AmountMinor,
                Currency = order.Currency,
                Method = (PaymentMethod)(int)order.Method,
                PaidAt = Timestamp.FromDateTimeOffset(now),
                PlanId = order.SubscriptionId is null ? string.Empty : order.PackageId,
                PeriodEndsAt = order.PeriodEndsAt is { } end ? Timestamp.FromDateTimeOffset(end) : null,
            },
            clock);
        LogSucceeded(logger, order.Id, order.Method, providerPaymentId, order.AmountMinor, order.Currency);
        return true;
    }

    public async Task<(SettleOutcome Outcome, TopUpOrder? Order)> CancelAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null)
        {
            return (SettleOutcome.UnknownOrder, null);
        }

        if (!order.Cancel(clock.GetUtcNow()))
        {
            return (SettleOutcome.NotApplicable, order);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (SettleOutcome.Settled, order);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} paid by {Method} ({ProviderPaymentId}): {Amount} {Currency}")]
    private static partial void LogSucceeded(ILogger logger, Guid orderId, OrderMethod method, string providerPaymentId, long amount, string currency);
}
