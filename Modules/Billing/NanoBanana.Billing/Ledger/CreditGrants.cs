namespace NanoBanana.Billing.Ledger;

/// <summary>The credits of the user that expire, and when the first of them do.</summary>
internal sealed record ExpiringCredits(long Credits, DateTimeOffset? FirstExpiry);

/// <summary>
/// Credits that expire (ADR 0161): a plan period without rollover and the free plan's monthly allowance. They are
/// part of the account's available credits and tracked beside them as grants whose remaining credits never exceed
/// what is available. Spending takes grants first (soonest expiry first); a debit takes bought credits first; a hold
/// remembers what it took from which grant, so its release gives it back (or lets it expire, if the grant has); those
/// two steps are part of the ledger functions <c>billing.reserve</c> and <c>billing.give_back</c> (ADR 0205).
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
