using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Settlement;

namespace NanoBanana.Payments.Background;

/// <summary>
/// Finds what notifications missed: re-fetches YooKassa orders pending longer than ReconcileAfter
/// and cancels orders past their expiry. Rows are claimed with FOR UPDATE SKIP LOCKED and pushed
/// forward (next_check_at), so replicas split the work and no provider call runs under a row lock.
/// </summary>
internal sealed partial class PendingOrdersReconciler(
    IServiceScopeFactory scopes,
    IOptions<PaymentsOptions> options,
    IOptions<YooKassaOptions> yooKassa,
    TimeProvider clock,
    ILogger<PendingOrdersReconciler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the order reconciler", logger) { IdleWait = options.Value.ReconcileInterval, Clock = clock }
            .RunAsync(async cancellationToken => await RunOnceAsync(cancellationToken) > 0, stoppingToken);

    /// <summary>Claims and handles one batch; returns how many orders it claimed when the batch was full (more may wait), else 0.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var claimed = await db.Database.SqlQuery<ClaimedOrder>($"""
            UPDATE payments.orders SET next_check_at = {now + settings.RecheckDelay}
            WHERE id IN (
                SELECT id FROM payments.orders
                WHERE status = {(int)OrderStatus.Pending} AND next_check_at <= {now}
                  AND (expires_at <= {now} OR (method = {(int)OrderMethod.YooKassa} AND created_at <= {now - settings.ReconcileAfter}))
                ORDER BY next_check_at
                LIMIT {settings.ReconcileBatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Id", method AS "Method", provider_payment_id AS "ProviderPaymentId", expires_at AS "ExpiresAt"
            """).ToListAsync(cancellationToken);

        foreach (var order in claimed)
        {
            try
            {
                await ReconcileAsync(scope.ServiceProvider, order, now, cancellationToken);
            }
            catch (Exception exception) when (exception is YooKassaException or HttpRequestException)
            {
                LogOrderFailed(logger, exception, order.Id);
            }
        }

        return claimed.Count == settings.ReconcileBatchSize ? claimed.Count : 0;
    }

    private async Task ReconcileAsync(IServiceProvider services, ClaimedOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if ((OrderMethod)order.Method == OrderMethod.YooKassa && order.ProviderPaymentId is { } paymentId && yooKassa.Value.IsConfigured)
        {
            var outcome = await services.GetRequiredService<YooKassaPaymentApplier>().RefetchAndApplyAsync(paymentId, cancellationToken);
            LogReconciled(logger, order.Id, outcome);
            if (!outcome.StartsWith("still-", StringComparison.Ordinal) && outcome != "unknown-payment")
            {
                return;
            }
        }

        if (order.ExpiresAt <= now)
        {
            var (result, _) = await services.GetRequiredService<OrderSettlement>().CancelAsync(order.Id, cancellationToken);
            if (result == SettleOutcome.Settled)
            {
                LogExpired(logger, order.Id);
            }
        }
    }

    internal sealed record ClaimedOrder(Guid Id, int Method, string? ProviderPaymentId, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling order {OrderId} failed; it is retried later")]
    private static partial void LogOrderFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} reconciled: {Outcome}")]
    private static partial void LogReconciled(ILogger logger, Guid orderId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} expired unpaid and was cancelled")]
    private static partial void LogExpired(ILogger logger, Guid orderId);
}
