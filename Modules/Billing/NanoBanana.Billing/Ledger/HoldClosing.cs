using Ardalis.Result;
using Google.Protobuf;
using Mapster;
using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Ledger;

internal sealed record LockedHold(Guid Id, long UserId, long Amount, string Status, string Reference);

/// <summary>
/// Capture and release of a hold. Lock order is hold row, then account row, everywhere (the sweeper too),
/// so closing holds cannot deadlock with each other. Both locks and the replay check are one round trip;
/// the writes go with the COMMIT.
/// </summary>
internal static class HoldClosing
{
    public static string CaptureKey(Guid holdId) => $"hold:{holdId}:capture";

    public static string ReleaseKey(Guid holdId) => $"hold:{holdId}:release";

    /// <summary>The ledger key of the part a partial capture gives back.</summary>
    private static string CaptureRestKey(Guid holdId) => $"hold:{holdId}:capture-rest";

    /// <summary>
    /// Spends <paramref name="amount"/> of the hold (zero: all of it) and gives the rest back, in one transaction: a
    /// capture entry for the spent part, then a release entry for the rest, so the ledger tells the whole story.
    /// </summary>
    public static async Task<Result<CaptureResponse>> CaptureAsync(this LedgerSession session, Guid holdId, long amount, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = CaptureKey(holdId);

        // A whole capture keeps the fingerprint it always had, so records written before partial captures still replay.
        string Fingerprint(LockedHold locked) => amount == 0 || amount == locked.Amount ? "capture" : $"capture|{amount}";
        var (hold, account, replay, shares) = await session.LockHoldAsync(holdId, key, Fingerprint, CaptureResponse.Parser, cancellationToken);
        if (hold is null)
        {
            return Result<CaptureResponse>.NotFound($"Hold {holdId} does not exist.");
        }

        if (amount > hold.Amount)
        {
            return Result<CaptureResponse>.Invalid(new ValidationError(
                "amount", $"Hold {holdId} holds {hold.Amount} credits; {amount} cannot be captured from it.", null, ValidationSeverity.Error));
        }

        if (replay is not null)
        {
            return replay;
        }

        if (hold.Status != "open")
        {
            return Result<CaptureResponse>.Conflict($"Hold {holdId} is {hold.Status}; it cannot be captured.");
        }

        var captured = amount == 0 ? hold.Amount : amount;
        var rest = hold.Amount - captured;
        session.Defer("UPDATE billing.holds SET status = 'captured', captured = @captured, closed_at = @now WHERE id = @id", ("id", holdId), ("captured", captured), ("now", now));
        var after = account! with { Reserved = account.Reserved - captured };
        session.Append(after, new LedgerPosting(EntryKind.Capture, -captured, key, hold.Reference, actor, holdId), now);
        if (rest > 0)
        {
            after = after with { Available = after.Available + rest, Reserved = after.Reserved - rest };
            session.Append(after, new LedgerPosting(EntryKind.Release, 0, CaptureRestKey(holdId), hold.Reference, actor, holdId), now);
        }

        var expired = session.GiveBack(shares, captured);
        after = session.ExpireReturned(after, expired, $"{CaptureRestKey(holdId)}:expired", hold.Reference, actor, holdId, now);

        var response = new CaptureResponse { Balance = after.Adapt<Balance>(), Captured = captured, Released = rest };
        session.Remember(key, Fingerprint(hold), response, now);
        return response;
    }

    /// <summary>Returns a hold's credits to available; <paramref name="expired"/> marks the sweeper's release.</summary>
    public static async Task<Result<ReleaseResponse>> ReleaseAsync(
        this LedgerSession session, Guid holdId, string reason, bool expired, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ReleaseKey(holdId);
        var (hold, account, replay, shares) = await session.LockHoldAsync(holdId, key, _ => "release", ReleaseResponse.Parser, cancellationToken);
        if (hold is null)
        {
            return Result<ReleaseResponse>.NotFound($"Hold {holdId} does not exist.");
        }

        if (replay is not null)
        {
            return replay;
        }

        if (hold.Status != "open")
        {
            return Result<ReleaseResponse>.Conflict($"Hold {hold.Id} is {hold.Status}; it cannot be released.");
        }

        session.Defer(
            "UPDATE billing.holds SET status = @status, closed_at = @now, close_reason = @reason WHERE id = @id",
            ("id", hold.Id),
            ("status", expired ? "expired" : "released"),
            ("reason", reason),
            ("now", now));
        var after = account! with { Available = account.Available + hold.Amount, Reserved = account.Reserved - hold.Amount };
        session.Append(after, new LedgerPosting(EntryKind.Release, 0, key, hold.Reference, actor, hold.Id), now);
        after = session.ExpireReturned(after, session.GiveBack(shares, 0), $"{key}:expired", hold.Reference, actor, hold.Id, now);
        var response = new ReleaseResponse { Balance = after.Adapt<Balance>(), Released = hold.Amount };
        session.Remember(key, "release", response, now);
        return response;
    }

    /// <summary>
    /// Locks the hold, then its account (which exists: the reserve that opened the hold created it), then reads
    /// the close's idempotency record and the hold's shares of expiring credits, in this order and in one round
    /// trip; each statement sees what committed before it started, so both are read under both locks.
    /// </summary>
    private static async Task<(LockedHold? Hold, AccountState? Account, Result<T>? Replay, List<HoldGrant> Shares)> LockHoldAsync<T>(
        this LedgerSession session, Guid holdId, string key, Func<LockedHold, string> fingerprint, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        await using var batch = session.Batch(
            LedgerSession.Statement("SELECT user_id, amount, status, reference FROM billing.holds WHERE id = @id FOR UPDATE", ("id", holdId)),
            LedgerSession.SelectAccountForUpdate("(SELECT user_id FROM billing.holds WHERE id = @id)", ("id", holdId)),
            LedgerSession.SelectRecord(key),
            CreditGrants.SelectHoldShares(holdId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, null, null, []);
        }

        var hold = new LockedHold(holdId, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var account = new AccountState(hold.UserId, reader.GetInt64(0), reader.GetInt64(1));
        await reader.NextResultAsync(cancellationToken);
        var replay = await LedgerSession.ReadReplayAsync(reader, key, fingerprint(hold), parser, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var shares = new List<HoldGrant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            shares.Add(new HoldGrant(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2)));
        }

        return (hold, account, replay, shares);
    }
}
