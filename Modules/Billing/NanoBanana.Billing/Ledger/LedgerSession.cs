using Ardalis.Result;
using Google.Protobuf;
using NanoBanana.Billing.Contracts.V1;
using Npgsql;

namespace NanoBanana.Billing.Ledger;

/// <summary>An account as locked for update: the balance every mutation in the transaction starts from.</summary>
internal sealed record AccountState(long UserId, long Available, long Reserved);

/// <summary>SQL steps of the ledger, on one connection and (for mutations) one transaction.</summary>
internal sealed class LedgerSession(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Creates the account on first use and locks it until the transaction ends: every mutation of a
    /// user's credits is serialised on this row lock.
    /// </summary>
    public async Task<AccountState> LockAccountAsync(long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO billing.accounts (user_id, available, reserved, version, updated_at) VALUES (@user, 0, 0, 0, @now) ON CONFLICT (user_id) DO NOTHING;
            SELECT available, reserved FROM billing.accounts WHERE user_id = @user FOR UPDATE;
            """,
            ("user", userId),
            ("now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AccountState(userId, reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The balance without locking; zero for a user who never had an account.</summary>
    public async Task<AccountState> ReadAccountAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT available, reserved FROM billing.accounts WHERE user_id = @user", ("user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AccountState(userId, reader.GetInt64(0), reader.GetInt64(1))
            : new AccountState(userId, 0, 0);
    }

    /// <summary>
    /// The stored first response of <paramref name="key"/>: null when the key is new, the same response when
    /// the arguments match, Conflict when the key was used for something else.
    /// </summary>
    public async Task<Result<T>?> ReplayAsync<T>(string key, string fingerprint, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        await using var command = Command("SELECT fingerprint, response FROM billing.idempotency WHERE key = @key", ("key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return reader.GetString(0) == fingerprint
            ? Result<T>.Success(parser.ParseFrom((byte[])reader[1]))
            : Result<T>.Conflict($"The idempotency key '{key}' was already used with different arguments.");
    }

    public Task RememberAsync(string key, string fingerprint, IMessage response, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO billing.idempotency (key, fingerprint, response, created_at) VALUES (@key, @fingerprint, @response, @now)",
            cancellationToken,
            ("key", key),
            ("fingerprint", fingerprint),
            ("response", response.ToByteArray()),
            ("now", now));

    /// <summary>Stores the account's new balance and its ledger entry in one statement; returns the entry id.</summary>
    public async Task<long> AppendAsync(AccountState after, LedgerPosting posting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            WITH account AS (
                UPDATE billing.accounts SET available = @available, reserved = @reserved, version = version + 1, updated_at = @now
                WHERE user_id = @user)
            INSERT INTO billing.ledger (user_id, kind, amount, available_after, reserved_after, hold_id, reference, idempotency_key, actor, created_at)
            VALUES (@user, @kind, @amount, @available, @reserved, @hold, @reference, @key, @actor, @now)
            RETURNING id
            """,
            ("user", after.UserId),
            ("available", after.Available),
            ("reserved", after.Reserved),
            ("kind", (int)posting.Kind),
            ("amount", posting.Amount),
            ("hold", posting.HoldId),
            ("reference", posting.Reference),
            ("key", posting.IdempotencyKey),
            ("actor", posting.Actor),
            ("now", now));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>What a ledger entry records besides the balance after it.</summary>
internal sealed record LedgerPosting(EntryKind Kind, long Amount, string IdempotencyKey, string Reference, string Actor, Guid? HoldId = null);
