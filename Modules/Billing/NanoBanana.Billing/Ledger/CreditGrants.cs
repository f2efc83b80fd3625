using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Ledger;

/// <summary>A hold's share of one grant, in the order the hold spends them (soonest expiry first).</summary>
internal sealed record HoldGrant(long GrantId, long Amount, bool Expired);

/// <summary>The credits of the user that expire, and when the first of them do.</summary>
internal sealed record ExpiringCredits(long Credits, DateTimeOffset? FirstExpiry);

/// <summary>
/// Credits that expire (ADR 0161): a plan period without rollover and the free plan's monthly allowance. They are
/// part of the account's available credits and tracked beside them as grants whose remaining credits never exceed
/// what is available. Spending takes grants first (soonest expiry first); a debit takes bought credits first; a hold
/// remembers what it took from which grant, so its release gives it back (or lets it expire, if the grant has).
/// Every write here runs under the account's row lock, taken first, like every other mutation of the user's credits.
/// </summary>
internal static class CreditGrants
{
    public const string Plan = "plan";

    public const string Allowance = "allowance";

    /// <summary>Records that the credit posted under <paramref name="creditKey"/> expires at <paramref name="expiresAt"/>.</summary>
    public static void Grant(this LedgerSession session, long userId, string kind, long amount, DateTimeOffset expiresAt, string creditKey, DateTimeOffset now) =>
        session.Defer(
            """
            INSERT INTO billing.credit_grants (user_id, kind, granted, remaining, expires_at, credit_key, created_at)
            VALUES (@user, @kind, @amount, @amount, @expires, @key, @now)
            """,
            ("user", userId),
            ("kind", kind),
            ("amount", amount),
            ("expires", expiresAt),
            ("key", creditKey),
            ("now", now));

    /// <summary>Takes up to <paramref name="amount"/> of a new hold from the user's grants, soonest expiry first, and records each share.</summary>
    public static void TakeForHold(this LedgerSession session, long userId, Guid holdId, long amount) =>
        session.Defer(
            """
            WITH live AS (
                SELECT id, remaining, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                FROM billing.credit_grants WHERE user_id = @user AND expired_at IS NULL AND remaining > 0),
            shares AS (
                SELECT id, least(remaining, @amount - before) AS take FROM live WHERE before < @amount),
            taken AS (
                UPDATE billing.credit_grants g SET remaining = g.remaining - s.take FROM shares s WHERE g.id = s.id RETURNING g.id, s.take)
            INSERT INTO billing.hold_grants (hold_id, grant_id, amount) SELECT @hold, id, take FROM taken
            """,
            ("user", userId),
            ("hold", holdId),
            ("amount", amount));

    /// <summary>
    /// After a debit of available credits: bought credits go first, so grants shrink only by what the debit took beyond
    /// them (the grants expiring last shrink first), keeping the grants within <paramref name="availableAfter"/>.
    /// </summary>
    public static void KeepWithin(this LedgerSession session, long userId, long availableAfter) =>
        session.Defer(
            """
            WITH live AS (
                SELECT id, remaining, sum(remaining) OVER (ORDER BY expires_at DESC, id DESC) - remaining AS before,
                       sum(remaining) OVER () - @available AS excess
                FROM billing.credit_grants WHERE user_id = @user AND expired_at IS NULL AND remaining > 0)
            UPDATE billing.credit_grants g SET remaining = g.remaining - least(l.remaining, l.excess - l.before)
            FROM live l WHERE g.id = l.id AND l.excess > l.before
            """,
            ("user", userId),
            ("available", availableAfter));

    /// <summary>The statement that reads a hold's shares (for <see cref="GiveBack"/>), in spending order.</summary>
    public static Npgsql.NpgsqlBatchCommand SelectHoldShares(Guid holdId) =>
        LedgerSession.Statement(
            """
            SELECT s.grant_id, s.amount, g.expired_at IS NOT NULL FROM billing.hold_grants s JOIN billing.credit_grants g ON g.id = s.grant_id
            WHERE s.hold_id = @id ORDER BY g.expires_at, g.id
            """,
            ("id", holdId));

    /// <summary>
    /// Closes a hold's shares when <paramref name="spent"/> of it is captured (0 for a release): the spent part comes from
    /// the grants first; the rest goes back to live grants. Returns what belongs to grants that have expired meanwhile:
    /// those credits are back in available and must expire now.
    /// </summary>
    public static long GiveBack(this LedgerSession session, IReadOnlyList<HoldGrant> shares, long spent)
    {
        var expired = 0L;
        foreach (var share in shares)
        {
            var kept = Math.Min(share.Amount, spent);
            spent -= kept;
            var back = share.Amount - kept;
            if (back == 0)
            {
                continue;
            }

            if (share.Expired)
            {
                expired += back;
            }
            else
            {
                session.Defer("UPDATE billing.credit_grants SET remaining = remaining + @back WHERE id = @id", ("id", share.GrantId), ("back", back));
            }
        }

        return expired;
    }

    /// <summary>Expires, in the ledger, credits given back to a grant that has already expired.</summary>
    public static AccountState ExpireReturned(this LedgerSession session, AccountState account, long credits, string key, string reference, string actor, Guid holdId, DateTimeOffset now)
    {
        if (credits == 0)
        {
            return account;
        }

        var after = account with { Available = account.Available - credits };
        session.Append(after, new LedgerPosting(EntryKind.PlanCreditsExpired, -credits, key, reference, actor, holdId), now);
        return after;
    }

    /// <summary>The user's credits that expire (live grants' remaining credits) and the first expiry among them.</summary>
    public static async Task<ExpiringCredits> ReadExpiringAsync(this LedgerSession session, long userId, CancellationToken cancellationToken)
    {
        await using var batch = session.Command(
            "SELECT coalesce(sum(remaining), 0)::bigint, min(expires_at) FROM billing.credit_grants WHERE user_id = @user AND expired_at IS NULL AND remaining > 0",
            ("user", userId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ExpiringCredits(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}
