using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace NanoBanana.BuildingBlocks.Persistence;

/// <summary>
/// The Host's one pool of PostgreSQL connections and the one way to run SQL by hand (ADR 0200). Every module's
/// DbContext opens its connections here too (<see cref="ModuleDatabaseRegistration"/>), so a process holds one
/// pool however many modules, loops and raw statements it runs. A statement of its own opens a pooled
/// connection (<see cref="Command(string, object?[])"/>, <see cref="ExecuteAsync(string, CancellationToken, object?[])"/>);
/// one that belongs to a unit of work runs on that unit's connection and transaction (the static overloads).
/// Parameters are positional (<c>$1</c>, <c>$2</c>, …; null is SQL NULL) unless the caller names its own.
/// Connections are not reset when returned (no DISCARD ALL): no code changes session state (LISTEN and the
/// migrations' advisory lock use connections outside the pool), and a reset would drop the plans a backend cached
/// for prepared statements and the ledger's functions, so each use would plan them again (ADR 0205).
/// Every statement, EF's and hand-written alike, is prepared on a connection once it has run there twice (Npgsql's
/// automatic preparation): the server then skips parsing and analysis, and often planning, on every later run (ADR 0240).
/// </summary>
public sealed class SqlSession(DatabaseConnection connection) : IAsyncDisposable
{
    /// <summary>
    /// How many statements a connection keeps prepared (least recently used out): more than the Host's hot paths send —
    /// a job's start and run, the ledger's calls, the claims, the outbox — so none of them is evicted by another.
    /// </summary>
    private const int PreparedStatementsPerConnection = 256;

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connection.ConnectionString)
    {
        NoResetOnClose = true,
        MaxAutoPrepare = PreparedStatementsPerConnection,
        AutoPrepareMinUsages = 2,
    }.ConnectionString);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>A statement on a pooled connection of its own, opened when it executes and returned when it is disposed.</summary>
    public NpgsqlCommand Command(string sql, params object?[] parameters) => WithParameters(DataSource.CreateCommand(sql), parameters);

    /// <summary>Runs one statement on a pooled connection of its own; returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A statement inside a caller's connection and transaction.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] parameters) =>
        WithParameters(new NpgsqlCommand(sql, connection, transaction), parameters);

    /// <summary>Runs one statement inside a caller's connection and transaction; returns the rows affected.</summary>
    public static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A statement in <paramref name="db"/>'s unit of work: its connection and its current transaction, if any.</summary>
    public static NpgsqlCommand Command(DbContext db, string sql, params object?[] parameters) =>
        Command(ConnectionOf(db), TransactionOf(db), sql, parameters);

    public static NpgsqlConnection ConnectionOf(DbContext db) => (NpgsqlConnection)db.Database.GetDbConnection();

    public static NpgsqlTransaction? TransactionOf(DbContext db) => (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static NpgsqlCommand WithParameters(NpgsqlCommand command, object?[] parameters)
    {
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }
}
