using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Ledger;

/// <summary>
/// The free plan's monthly allowance (ADR 0161): credits for a user without a paid period, once per calendar month
/// (UTC), expiring when the month ends. "Once" is the keyed credit's: one key per user and month, under the account lock.
/// </summary>
internal static class FreeAllowance
{
    private const string Actor = "system:free-allowance";

    public static string Key(long userId, DateTimeOffset now) => $"allowance:{userId}:{Month(now)}";

    /// <summary>Start of the next UTC month: when this month's allowance expires.</summary>
    public static DateTimeOffset MonthEnd(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);

    /// <summary>Grants this month's allowance unless it was granted already (or a paid period runs); true when this call granted it.</summary>
    public static async Task<bool> GrantAsync(this LedgerSession session, long userId, long amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Key(userId, now);
        var credit = await session.CreditAsync(userId, amount, EntryKind.FreeAllowance, key, Month(now), Actor, now, cancellationToken);
        if (!credit.Applied)
        {
            return false; // This month's allowance exists (or the key was taken with another amount after an admin edit: still once).
        }

        session.Grant(userId, CreditGrants.Allowance, amount, MonthEnd(now), key, now);
        return true;
    }

    private static string Month(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
