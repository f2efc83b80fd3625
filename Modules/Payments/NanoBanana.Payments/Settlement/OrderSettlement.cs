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
    /// <summary>
    /// Settles a provider-confirmed payment. A card plan period (ADR 0152) starts when it is paid: under the same
    /// locks its end is placed after the running period, the subscription records it and keeps the card the payment
    /// saved (<paramref name="savedPaymentMethodId"/>) for renewals the user agreed to.
    /// </summary>
    public async Task<(SettleOutcome Outcome, TopUpOrder? Order)> SucceedAsync(
        Guid orderId, string providerPaymentId, long paidAmountMinor, CancellationToken cancellationToken, string? savedPaymentMethodId = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null)
        {
            return (SettleOutcome.UnknownOrder, null);
        }

        if (order.IsPaid)
        {
            return (SettleOutcome.AlreadySettled, order);
        }

        if (order.SubscriptionId is { } subscriptionId && await db.LockSubscriptionAsync(subscriptionId, cancellationToken) is { } subscription)
        {
            var now = clock.GetUtcNow();
            var periodEndsAt = subscription.NextPeriodEnd(now);
            order.StartPeriod(periodEndsAt);
            subscription.RecordPeriod(providerPaymentId, periodEndsAt, now);
            if (savedPaymentMethodId is not null)
            {
                subscription.SavePaymentMethod(savedPaymentMethodId, now);
            }
        }

        MarkSucceeded(order, providerPaymentId, paidAmountMinor);

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

    /// <summary>
    /// Cancels a pending order. When YooKassa declined the automatic renewal of a running card plan
    /// (<paramref name="failureReason"/>: its cancellation reason), the subscription stops renewing and
    /// SubscriptionRenewalFailed is queued in the same transaction, once: the user learns the plan ends with the paid
    /// period. Without a reason (an order expired in an unknown state) the renewal job simply tries again.
    /// </summary>
    public async Task<(SettleOutcome Outcome, TopUpOrder? Order)> CancelAsync(Guid orderId, CancellationToken cancellationToken, string? failureReason = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null)
        {
            return (SettleOutcome.UnknownOrder, null);
        }

        var now = clock.GetUtcNow();
        if (!order.Cancel(now))
        {
            return (SettleOutcome.NotApplicable, order);
        }

        if (failureReason is not null
            && order.SubscriptionId is { } subscriptionId
            && await db.LockSubscriptionAsync(subscriptionId, cancellationToken) is { Status: Domain.SubscriptionStatus.Active } subscription
            && subscription.RecordRenewalFailure(failureReason, now))
        {
            PublishRenewalFailed(subscription);
            LogRenewalFailed(logger, subscription.Id, subscription.FailureReason!);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (SettleOutcome.Settled, order);
    }

    /// <summary>Queues SubscriptionRenewalFailed for a subscription whose failure was just recorded (tracked, locked; the caller commits).</summary>
    public void PublishRenewalFailed(PlanSubscription subscription) =>
        db.AddIntegrationEvent(
            new SubscriptionRenewalFailed
            {
                SubscriptionId = subscription.Id.ToString(),
                UserId = subscription.UserId,
                PlanId = subscription.PlanId,
                ExpiresAt = subscription.ExpiresAt is { } end ? Timestamp.FromDateTimeOffset(end) : null,
                Reason = subscription.FailureReason ?? string.Empty,
                Method = (PaymentMethod)(int)subscription.Method,
            },
            clock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId}: renewal failed ({Reason}); the plan ends with its paid period")]
    private static partial void LogRenewalFailed(ILogger logger, Guid subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} paid by {Method} ({ProviderPaymentId}): {Amount} {Currency}")]
    private static partial void LogSucceeded(ILogger logger, Guid orderId, OrderMethod method, string providerPaymentId, long amount, string currency);
}
