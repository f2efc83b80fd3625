using Ardalis.Result;
using Mapster;
using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Ledger;

internal sealed record LockedHold(Guid Id, long UserId, long Amount, string Status, string Reference);

/// <summary>
/// Capture and release of a hold. Lock order is hold row, then account row, everywhere (the sweeper too),
/// so closing holds cannot deadlock with each other.
/// </summary>
internal static class HoldClosing
{
    public static string CaptureKey(Guid holdId) => $"hold:{holdId}:capture";

    public static string ReleaseKey(Guid holdId) => $"hold:{holdId}:release";

    public static async Task<LockedHold?> LockHoldAsync(this LedgerSession session, Guid holdId, bool skipLocked, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT user_id, amount, status, reference FROM billing.holds WHERE id = @id FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : string.Empty),
            ("id", holdId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LockedHold(holdId, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    public static async Task<Result<CaptureResponse>> CaptureAsync(this LedgerSession session, Guid holdId, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hold = await session.LockHoldAsync(holdId, skipLocked: false, cancellationToken);
        if (hold is null)
        {
            return Result<CaptureResponse>.NotFound($"Hold {holdId} does not exist.");
        }

        var account = await session.LockAccountAsync(hold.UserId, now, cancellationToken);
        var key = CaptureKey(holdId);
        if (await session.ReplayAsync(key, "capture", CaptureResponse.Parser, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (hold.Status != "open")
        {
            return Result<CaptureResponse>.Conflict($"Hold {holdId} is {hold.Status}; it cannot be captured.");
        }

        await session.ExecuteAsync("UPDATE billing.holds SET status = 'captured', closed_at = @now WHERE id = @id", cancellationToken, ("id", holdId), ("now", now));
        var after = account with { Reserved = account.Reserved - hold.Amount };
        await session.AppendAsync(after, new LedgerPosting(EntryKind.Capture, -hold.Amount, key, hold.Reference, actor, holdId), now, cancellationToken);
        var response = new CaptureResponse { Balance = after.Adapt<Balance>(), Captured = hold.Amount };
        await session.RememberAsync(key, "capture", response, now, cancellationToken);
        return response;
    }

    /// <summary>Returns a hold's credits to available; <paramref name="expired"/> marks the sweeper's release.</summary>
    public static async Task<Result<ReleaseResponse>> ReleaseAsync(
        this LedgerSession session, LockedHold hold, string reason, bool expired, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await session.LockAccountAsync(hold.UserId, now, cancellationToken);
        var key = ReleaseKey(hold.Id);
        if (await session.ReplayAsync(key, "release", ReleaseResponse.Parser, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (hold.Status != "open")
        {
            return Result<ReleaseResponse>.Conflict($"Hold {hold.Id} is {hold.Status}; it cannot be released.");
        }

        await session.ExecuteAsync(
            "UPDATE billing.holds SET status = @status, closed_at = @now, close_reason = @reason WHERE id = @id",
            cancellationToken,
            ("id", hold.Id),
            ("status", expired ? "expired" : "released"),
            ("reason", reason),
            ("now", now));
        var after = account with { Available = account.Available + hold.Amount, Reserved = account.Reserved - hold.Amount };
        await session.AppendAsync(after, new LedgerPosting(EntryKind.Release, 0, key, hold.Reference, actor, hold.Id), now, cancellationToken);
        var response = new ReleaseResponse { Balance = after.Adapt<Balance>(), Released = hold.Amount };
        await session.RememberAsync(key, "release", response, now, cancellationToken);
        return response;
    }
}
