using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Billing.Background;

/// <summary>
/// Safety net for holds nobody closed: releases open holds past their expiry. Each hold is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> in its own transaction, so several replicas sweep side by side and a
/// hold being captured right now is simply skipped.
/// </summary>
internal sealed partial class ExpireHolds(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BillingOptions> options, ILogger<ExpireHolds> logger)
    : BackgroundService
{
    private const string Actor = "system:hold-sweeper";

    // A sweep releases every expired hold, so the loop never steps again at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the hold sweeper", logger) { IdleWait = options.Value.HoldSweepInterval, Clock = clock }.RunAsync(
            async cancellationToken =>
            {
                var released = await SweepAsync(cancellationToken);
                if (released > 0)
                {
                    LogReleased(logger, released);
                }

                return false;
            },
            stoppingToken);

    /// <summary>Releases every open hold that has expired; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var released = 0;
        while (await ReleaseOneAsync(cancellationToken))
        {
            released++;
        }

        return released;
    }

    private async Task<bool> ReleaseOneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var transactions = scope.ServiceProvider.GetRequiredService<BillingTransactions>();
        return await transactions.RunAsync(
            async session =>
            {
                var now = clock.GetUtcNow();
                var holdId = await session.ScalarAsync<Guid?>(
                    """
                    SELECT id FROM billing.holds WHERE status = 'open' AND expires_at <= @now
                    ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """,
                    cancellationToken,
                    ("now", now));
                if (holdId is null)
                {
                    return false;
                }

                await session.ReleaseAsync(holdId.Value, "expired", expired: true, Actor, now, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} expired holds")]
    private static partial void LogReleased(ILogger logger, int count);
}
