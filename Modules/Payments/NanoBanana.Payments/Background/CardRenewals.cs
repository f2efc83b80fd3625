using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Settlement;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Background;

/// <summary>
/// Renews card plans whose users agreed to it (ADR 0152): RenewBefore the period ends, an autopayment with the saved
/// payment method. Subscriptions are claimed with FOR UPDATE SKIP LOCKED and pushed forward (next_renewal_check_at),
/// and one with a period order still pending is skipped, so replicas never charge one period twice. The payment's
/// outcome goes through the one applier: succeeded → the next period, credited once; canceled → the plan stops
/// renewing, ends with its paid period and the user is told (SubscriptionRenewalFailed). Runs only when the operator
/// enabled Payments:YooKassa:Autopayments.
/// </summary>
internal sealed partial class CardRenewals(
    IServiceScopeFactory scopes,
    IOptions<YooKassaOptions> yooKassa,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<CardRenewals> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        yooKassa.Value is { Autopayments: true, IsConfigured: true }
            ? new WorkLoop("the card plan renewals", logger) { IdleWait = yooKassa.Value.RenewalInterval, Clock = clock }
                .RunAsync(async cancellationToken => await RunOnceAsync(cancellationToken) > 0, stoppingToken)
            : Task.CompletedTask;

    /// <summary>Claims and renews one batch; returns how many it claimed when the batch was full (more may wait), else 0.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var claimed = await db.Database.SqlQuery<Guid>($"""
            UPDATE payments.subscriptions SET next_renewal_check_at = {now + settings.RecheckDelay}
            WHERE id IN (
                SELECT s.id FROM payments.subscriptions s
                WHERE s.method = {(int)OrderMethod.YooKassa} AND s.auto_renew AND NOT s.canceled AND s.payment_method_id IS NOT NULL
                  AND s.status = {(int)SubscriptionStatus.Active} AND s.expires_at > {now} AND s.expires_at <= {now + yooKassa.Value.RenewBefore}
                  AND s.next_renewal_check_at <= {now}
                  AND NOT EXISTS (SELECT 1 FROM payments.orders o WHERE o.subscription_id = s.id AND o.status = {(int)OrderStatus.Pending})
                ORDER BY s.next_renewal_check_at
                LIMIT {settings.ReconcileBatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);

        foreach (var id in claimed)
        {
            try
            {
                await RenewAsync(scope.ServiceProvider, id, now, cancellationToken);
            }
            catch (Exception exception) when (exception is YooKassaException or HttpRequestException)
            {
                LogRenewalFailed(logger, exception, id);
            }
        }

        return claimed.Count == settings.ReconcileBatchSize ? claimed.Count : 0;
    }

    private async Task RenewAsync(IServiceProvider services, Guid subscriptionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<PaymentsDbContext>();
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId, cancellationToken);
        var order = db.Orders.Add(TopUpOrder.ForCardPeriod(subscription, options.Value.OrderLifetime, now)).Entity;
        await db.SaveChangesAsync(cancellationToken);

        // A renewal has no caller and no language: its description, on a card charged in rubles, is Russian as always.
        var description = SubscriptionCheckout.Describe(subscription.PlanId.ToUpperInvariant(), subscription.CreditsPerPeriod, renews: true, language: "ru");
        YooKassaPayment payment;
        try
        {
            payment = await services.GetRequiredService<YooKassaClient>().CreatePaymentAsync(
                YooKassaPayments.Autopayment(order, description, subscription.PaymentMethodId!), order.Id.ToString(), cancellationToken);
        }
        catch (YooKassaException exception) when (!exception.IsRetryable)
        {
            // YooKassa refused the request itself (the saved method is no longer usable): the renewal failed for good.
            await services.GetRequiredService<OrderSettlement>().CancelAsync(order.Id, cancellationToken, exception.Code);
            return;
        }

        order.ProviderPaymentId = payment.Id;
        await db.SaveChangesAsync(cancellationToken);
        var outcome = await services.GetRequiredService<YooKassaPaymentApplier>().ApplyAsync(payment, cancellationToken);
        LogRenewed(logger, subscriptionId, order.Id, outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing subscription {SubscriptionId} failed; it is tried again later")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId} renewal {OrderId}: {Outcome}")]
    private static partial void LogRenewed(ILogger logger, Guid subscriptionId, Guid orderId, string outcome);
}
