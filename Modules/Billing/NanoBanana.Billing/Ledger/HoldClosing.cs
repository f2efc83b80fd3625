using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Billing.Ledger;

/// <summary>
/// A row of the ledger functions <c>billing.reserve</c> and <c>billing.close_hold</c> (ADR 0205):
/// what they decided, the hold they locked, the balance they left and, on a repeat, the key's first response.
/// </summary>
internal sealed record HoldOutcome(string Outcome, long? HoldAmount, string? HoldStatus, Balance? Balance, byte[]? Recorded)
{
    public static async Task<HoldOutcome> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        return new HoldOutcome(
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : new Balance { Available = reader.GetInt64(3), Reserved = reader.GetInt64(4) },
            reader.IsDBNull(5) ? null : (byte[])reader[5]);
    }

    /// <summary>The key's stored first response (same arguments) or a conflict (other arguments); null when the key is new.</summary>
    public Result<T>? Replay<T>(string key, Google.Protobuf.MessageParser<T> parser)
        where T : Google.Protobuf.IMessage<T> => Outcome switch
        {
            "replay" => Result<T>.Success(parser.ParseFrom(Recorded)),
            "key_conflict" => LedgerSession.KeyConflict<T>(key),
            _ => null,
        };
}

/// <summary>
/// Capture and release of a hold, each one call of a ledger function: it locks the hold row, then the account row
/// (the order everywhere, the sweeper's too, so closing holds cannot deadlock), answers a repeat from the hold row
/// under both locks (its status and captured amount, the balance of its last entry; ADR 0220), and writes the hold,
/// the grants' shares and the ledger entries.
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
        var outcome = await session.CloseAsync(holdId, amount, reason: null, expired: false, key, CaptureRestKey(holdId), actor, now, cancellationToken);
        return outcome.Outcome switch
        {
            "not_found" => Result<CaptureResponse>.NotFound($"Hold {holdId} does not exist."),
            "too_much" => Result<CaptureResponse>.Invalid(new ValidationError(
                "amount", $"Hold {holdId} holds {outcome.HoldAmount} credits; {amount} cannot be captured from it.", null, ValidationSeverity.Error)),
            "not_open" => Result<CaptureResponse>.Conflict($"Hold {holdId} is {outcome.HoldStatus}; it cannot be captured."),
            "closed" => new CaptureResponse
            {
                Balance = outcome.Balance,
                Captured = amount == 0 ? outcome.HoldAmount!.Value : amount,
                Released = amount == 0 ? 0 : outcome.HoldAmount!.Value - amount,
            },
            _ => outcome.Replay(key, CaptureResponse.Parser) ?? throw new InvalidOperationException($"billing.close_hold answered '{outcome.Outcome}'."),
        };
    }

    /// <summary>Returns a hold's credits to available; <paramref name="expired"/> marks the sweeper's release.</summary>
    public static async Task<Result<ReleaseResponse>> ReleaseAsync(
        this LedgerSession session, Guid holdId, string reason, bool expired, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ReleaseKey(holdId);
        var outcome = await session.CloseAsync(holdId, amount: null, reason, expired, key, key, actor, now, cancellationToken);
        return outcome.Outcome switch
        {
            "not_found" => Result<ReleaseResponse>.NotFound($"Hold {holdId} does not exist."),
            "not_open" => Result<ReleaseResponse>.Conflict($"Hold {holdId} is {outcome.HoldStatus}; it cannot be released."),
            "closed" => new ReleaseResponse { Balance = outcome.Balance, Released = outcome.HoldAmount!.Value },
            _ => outcome.Replay(key, ReleaseResponse.Parser) ?? throw new InvalidOperationException($"billing.close_hold answered '{outcome.Outcome}'."),
        };
    }

    /// <summary>One call of <c>billing.close_hold</c>: a capture of <paramref name="amount"/>, or a release when it is null.</summary>
    private static Task<HoldOutcome> CloseAsync(
        this LedgerSession session, Guid holdId, long? amount, string? reason, bool expired, string key, string releaseKey, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.FinishAsync(
            LedgerSession.Statement(
                "SELECT * FROM billing.close_hold(@hold, @amount::bigint, @reason, @expired, @key, @release_key, @actor, @now)",
                ("hold", holdId),
                // Typed even when null: the statement is prepared once per connection for captures and releases alike.
                ("amount", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)amount ?? DBNull.Value }),
                ("reason", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)reason ?? DBNull.Value }),
                ("expired", expired),
                ("key", key),
                ("release_key", releaseKey),
                ("actor", actor),
                ("now", now)),
            reader => HoldOutcome.ReadAsync(reader, cancellationToken),
            cancellationToken);
}
