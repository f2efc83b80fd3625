using Ardalis.Result;
using Mapster;
using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Ledger;

/// <summary>Outcome of a keyed credit or debit: the response, and whether this call applied it (false on a replay).</summary>
internal sealed record PostingOutcome<T>(Result<T> Result, bool Applied);

/// <summary>Keyed credits and debits of available credits, shared by the module API, admin tools, events, promos and rewards.</summary>
internal static class Postings
{
    public static async Task<PostingOutcome<CreditResponse>> CreditAsync(
        this LedgerSession session, long userId, long amount, EntryKind kind, string key, string reference, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fingerprint = $"credit|{userId}|{amount}|{(int)kind}|{reference}";
        var (account, replay) = await session.LockAccountAsync(userId, key, fingerprint, CreditResponse.Parser, now, cancellationToken);
        if (replay is not null)
        {
            return new PostingOutcome<CreditResponse>(replay, false);
        }

        var after = account with { Available = account.Available + amount };
        var entryId = await session.AppendAsync(after, new LedgerPosting(kind, amount, key, reference, actor), now, cancellationToken);
        var response = new CreditResponse { Balance = after.Adapt<Balance>(), EntryId = entryId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        session.Remember(key, fingerprint, response, now);
        return new PostingOutcome<CreditResponse>(response, true);
    }

    /// <summary>Debits available credits; a shortfall debits nothing, is reported, and leaves the key unused.</summary>
    public static async Task<PostingOutcome<DebitResponse>> DebitAsync(
        this LedgerSession session, long userId, long amount, EntryKind kind, string key, string reference, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fingerprint = $"debit|{userId}|{amount}|{(int)kind}|{reference}";
        var (account, replay) = await session.LockAccountAsync(userId, key, fingerprint, DebitResponse.Parser, now, cancellationToken);
        if (replay is not null)
        {
            return new PostingOutcome<DebitResponse>(replay, false);
        }

        if (account.Available < amount)
        {
            return new PostingOutcome<DebitResponse>(new DebitResponse { Balance = account.Adapt<Balance>(), InsufficientFunds = true }, false);
        }

        var after = account with { Available = account.Available - amount };
        session.KeepWithin(userId, after.Available);
        var entryId = await session.AppendAsync(after, new LedgerPosting(kind, -amount, key, reference, actor), now, cancellationToken);
        var response = new DebitResponse { Balance = after.Adapt<Balance>(), EntryId = entryId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        session.Remember(key, fingerprint, response, now);
        return new PostingOutcome<DebitResponse>(response, true);
    }
}
