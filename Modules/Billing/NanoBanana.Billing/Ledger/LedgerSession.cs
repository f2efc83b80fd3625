using Ardalis.Result;
using Google.Protobuf;
using NanoBanana.Billing.Contracts.V1;
using Npgsql;

namespace NanoBanana.Billing.Ledger;

/// <summary>An account as locked for update: the balance every mutation in the transaction starts from.</summary>
internal sealed record AccountState(long UserId, long Available, long Reserved);

/// <summary>
/// SQL steps of the ledger on one connection and (for mutations) one transaction. Writes whose row count
/// nobody reads are deferred (<see cref="Defer"/>): they travel in one Npgsql batch with the next statement
/// that answers something, or with the COMMIT, in the order they were written, so every statement still runs
/// after all earlier ones, only without a round trip of its own. An own transaction's BEGIN travels the same
/// way. Work that is one statement (reserve, capture and release call a function, ADR 0205) runs it with
/// <see cref="FinishAsync"/>: alone, as a transaction of its own, in one round trip.
/// </summary>
internal sealed class LedgerSession
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _ambient;
    private readonly bool _ownsTransaction;
    private readonly List<NpgsqlBatchCommand> _deferred = [];
    private bool _begun;
    private bool _finished;

    /// <param name="ambient">The caller's transaction to join; null with <paramref name="ownsTransaction"/> false reads outside any transaction.</param>
    public LedgerSession(NpgsqlConnection connection, NpgsqlTransaction? ambient, bool ownsTransaction)
    {
        _connection = connection;
        _ambient = ambient;
        _ownsTransaction = ownsTransaction;
        if (ownsTransaction)
        {
            _deferred.Add(new NpgsqlBatchCommand("BEGIN"));
        }
    }

    public static NpgsqlBatchCommand Statement(string sql, params (string Name, object? Value)[] parameters)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter typed)
            {
                typed.ParameterName = name;
                statement.Parameters.Add(typed);
            }
            else
            {
                statement.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return statement;
    }

    /// <summary>Queues a write; it runs before the next statement sent and at the latest with the COMMIT.</summary>
    public void Defer(string sql, params (string Name, object? Value)[] parameters) => _deferred.Add(Statement(sql, parameters));

    /// <summary>The deferred writes followed by <paramref name="statements"/>, to execute as one round trip (results of the latter only).</summary>
    public NpgsqlBatch Batch(params NpgsqlBatchCommand[] statements)
    {
        var batch = new NpgsqlBatch(_connection, _ambient);
        foreach (var statement in _deferred.Concat(statements))
        {
            batch.BatchCommands.Add(statement);
        }

        _deferred.Clear();
        _begun |= _ownsTransaction;
        return batch;
    }

    public NpgsqlBatch Command(string sql, params (string Name, object? Value)[] parameters) => Batch(Statement(sql, parameters));

    /// <summary>Runs one statement now (after the deferred writes); returns its own row count.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var batch = Command(sql, parameters);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[^1].RecordsAffected;
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var batch = Command(sql, parameters);
        var value = await batch.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends the deferred writes with COMMIT (own transaction) or alone (joined transaction, whose owner commits).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        if (_ownsTransaction)
        {
            if (!_begun && _deferred.Count == 1)
            {
                return;   // only the BEGIN: nothing ran, nothing to commit
            }

            _deferred.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        if (_deferred.Count > 0)
        {
            await using var batch = Batch();
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Drops the deferred writes and ends an own transaction that reached the server.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        _deferred.Clear();
        if (_begun && !_finished)
        {
            await using var batch = Batch(new NpgsqlBatchCommand("ROLLBACK"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs the work's last statement and reads its rows with <paramref name="read"/>. With nothing else pending it is
    /// sent alone, without BEGIN and COMMIT: one statement is a transaction of its own, so the work is one round trip.
    /// Like every statement on the Host's pool it is prepared once a connection has run it twice (ADR 0240), so the
    /// server parses and plans it once per connection instead of on every call (ADR 0220); the parameters' types must
    /// not depend on their values (a null needs a typed <see cref="NpgsqlParameter"/>). Otherwise it travels with the
    /// deferred writes and the COMMIT (or, joined, without it). Either way nothing is left to complete or roll back once
    /// it succeeded.
    /// </summary>
    public async Task<T> FinishAsync<T>(NpgsqlBatchCommand statement, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        var alone = _ownsTransaction && !_begun && _deferred.Count == 1;
        if (alone)
        {
            _deferred.Clear();   // only the BEGIN was pending
        }

        await using var batch = alone ? new NpgsqlBatch(_connection) { BatchCommands = { statement } } : Batch(statement);
        if (_ownsTransaction && !alone)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        }

        T outcome;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            outcome = await read(reader);
            while (await reader.NextResultAsync(cancellationToken))
            {
                // The COMMIT's (empty) result: an error it raised surfaces here, before the work counts as finished.
            }
        }

        _finished = true;
        return outcome;
    }

    /// <summary>
    /// Creates the account on first use and locks it until the transaction ends: every mutation of a
    /// user's credits is serialised on this row lock.
    /// </summary>
    public async Task<AccountState> LockAccountAsync(long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = Batch(CreateAccount(userId, now), SelectAccountForUpdate("@user", ("user", userId)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AccountState(userId, reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// <see cref="LockAccountAsync(long, DateTimeOffset, CancellationToken)"/> and then, under the lock (each statement
    /// sees what committed before it started), the stored first response of <paramref name="key"/>: one round trip.
    /// </summary>
    public async Task<(AccountState Account, Result<T>? Replay)> LockAccountAsync<T>(
        long userId, string key, string fingerprint, MessageParser<T> parser, DateTimeOffset now, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        await using var batch = Batch(CreateAccount(userId, now), SelectAccountForUpdate("@user", ("user", userId)), SelectRecord(key));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var account = new AccountState(userId, reader.GetInt64(0), reader.GetInt64(1));
        await reader.NextResultAsync(cancellationToken);
        return (account, await ReadReplayAsync(reader, key, fingerprint, parser, cancellationToken));
    }

    /// <summary>The balance without locking; zero for a user who never had an account.</summary>
    public async Task<AccountState> ReadAccountAsync(long userId, CancellationToken cancellationToken)
    {
        await using var batch = Command("SELECT available, reserved FROM billing.accounts WHERE user_id = @user", ("user", userId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AccountState(userId, reader.GetInt64(0), reader.GetInt64(1))
            : new AccountState(userId, 0, 0);
    }

    public static NpgsqlBatchCommand SelectAccountForUpdate(string userExpression, params (string Name, object? Value)[] parameters) =>
        Statement($"SELECT available, reserved FROM billing.accounts WHERE user_id = {userExpression} FOR UPDATE", parameters);

    public static NpgsqlBatchCommand SelectRecord(string key) =>
        Statement("SELECT fingerprint, response FROM billing.idempotency WHERE key = @key", ("key", key));

    /// <summary>
    /// Reads a <see cref="SelectRecord"/> result: null when the key is new, the stored response when the arguments
    /// match, Conflict when the key was used for something else.
    /// </summary>
    public static async Task<Result<T>?> ReadReplayAsync<T>(NpgsqlDataReader reader, string key, string fingerprint, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return reader.GetString(0) == fingerprint
            ? Result<T>.Success(parser.ParseFrom((byte[])reader[1]))
            : KeyConflict<T>(key);
    }

    public static Result<T> KeyConflict<T>(string key) => Result<T>.Conflict($"The idempotency key '{key}' was already used with different arguments.");

    /// <summary>Stores the first response of <paramref name="key"/> (deferred: it commits with the mutation it records).</summary>
    public void Remember(string key, string fingerprint, IMessage response, DateTimeOffset now) =>
        Defer(
            "INSERT INTO billing.idempotency (key, fingerprint, response, created_at) VALUES (@key, @fingerprint, @response, @now)",
            ("key", key),
            ("fingerprint", fingerprint),
            ("response", response.ToByteArray()),
            ("now", now));

    /// <summary>Stores the account's new balance and its ledger entry in one statement (deferred; the procedure the ledger functions call too).</summary>
    public void Append(AccountState after, LedgerPosting posting, DateTimeOffset now) => _deferred.Add(AppendStatement(after, posting, now));

    /// <summary><see cref="Append"/> now, for callers that answer with the entry id.</summary>
    public async Task<long> AppendAsync(AccountState after, LedgerPosting posting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = Batch(
            AppendStatement(after, posting, now),
            Statement("SELECT id FROM billing.ledger WHERE idempotency_key = @key", ("key", posting.IdempotencyKey)));
        return (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlBatchCommand CreateAccount(long userId, DateTimeOffset now) =>
        Statement(
            "INSERT INTO billing.accounts (user_id, available, reserved, version, updated_at) VALUES (@user, 0, 0, 0, @now) ON CONFLICT (user_id) DO NOTHING",
            ("user", userId),
            ("now", now));

    private static NpgsqlBatchCommand AppendStatement(AccountState after, LedgerPosting posting, DateTimeOffset now) =>
        Statement(
            "CALL billing.append_entry(@user, @available, @reserved, @kind, @amount, @hold, @reference, @key, @actor, @now)",
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
}

/// <summary>What a ledger entry records besides the balance after it.</summary>
internal sealed record LedgerPosting(EntryKind Kind, long Amount, string IdempotencyKey, string Reference, string Actor, Guid? HoldId = null);
