using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Billing.Background;

/// <summary>
/// Expires what is left of plan credits without rollover and of the free allowance when their time is up (ADR 0161):
/// one <c>PLAN_CREDITS_EXPIRED</c> entry per grant, keyed by the grant, so a grant expires once. A user's account is
/// claimed with <c>FOR UPDATE SKIP LOCKED</c> (the lock every mutation of their credits takes first), so replicas sweep
/// side by side and never wait on a user being served. Credits a hold took from a grant are not expired here: they
/// are spent if the hold is captured, and expire when it is released.
/// </summary>
internal sealed partial class ExpireCreditGrants(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BillingOptions> options, ILogger<ExpireCreditGrants> logger)
    : BackgroundService
{
    private const string Actor = "system:grant-sweeper";

    // A sweep expires every due grant, so the loop never steps again at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the credit-grant sweeper", logger) { IdleWait = options.Value.GrantSweepInterval, Clock = clock }.RunAsync(
            async cancellationToken =>
            {
                var expired = await SweepAsync(cancellationToken);
                if (expired > 0)
                {
                    LogExpired(logger, expired);
                }

                return false;
            },
            stoppingToken);

    /// <summary>Expires every due grant; returns how many users' grants it expired.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var users = 0;
        while (await ExpireOneUserAsync(cancellationToken))
        {
            users++;
        }

        return users;
    }

    private async Task<bool> ExpireOneUserAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var transactions = scope.ServiceProvider.GetRequiredService<BillingTransactions>();
        return await transactions.RunAsync(
            async session =>
            {
                var now = clock.GetUtcNow();
                var userId = await session.ScalarAsync<long?>(
                    """
                    SELECT a.user_id FROM billing.accounts a
                    WHERE a.user_id IN (SELECT user_id FROM billing.credit_grants WHERE expired_at IS NULL AND expires_at <= @now)
                    LIMIT 1 FOR UPDATE OF a SKIP LOCKED
                    """,
                    cancellationToken,
                    ("now", now));
                if (userId is not { } user)
                {
                    return false;
                }

                var grants = new List<(long Id, long Remaining, string Key)>();
                AccountState account;
                await using (var batch = session.Batch(
                    LedgerSession.SelectAccountForUpdate("@user", ("user", user)),
                    LedgerSession.Statement(
                        "SELECT id, remaining, credit_key FROM billing.credit_grants WHERE user_id = @user AND expired_at IS NULL AND expires_at <= @now ORDER BY expires_at, id",
                        ("user", user),
                        ("now", now))))
                await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    account = new AccountState(user, reader.GetInt64(0), reader.GetInt64(1));
                    await reader.NextResultAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        grants.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
                    }
                }

                foreach (var (id, remaining, key) in grants)
                {
                    session.Defer("UPDATE billing.credit_grants SET remaining = 0, expired_at = @now WHERE id = @id", ("id", id), ("now", now));
                    if (remaining > 0)
                    {
                        account = account with { Available = account.Available - remaining };
                        session.Append(account, new LedgerPosting(EntryKind.PlanCreditsExpired, -remaining, $"grant:{id}:expired", key, Actor), now);
                    }
                }

                return true;
            },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired the plan credits of {Count} users")]
    private static partial void LogExpired(ILogger logger, int count);
}
