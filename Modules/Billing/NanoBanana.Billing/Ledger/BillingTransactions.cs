using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;

namespace NanoBanana.Billing.Ledger;

/// <summary>
/// Runs ledger work in one PostgreSQL transaction on a connection of the Host's pool (<see cref="SqlSession"/>). Work that fails with a
/// result rolls back; transient conflicts (deadlock, serialization failure, a unique key taken by a
/// concurrent transaction) are retried from the start, where the work then sees the winner's rows.
/// An inbox handler's work joins the handler's transaction instead (<see cref="JoinAsync"/>), and the handler owns retries.
/// The transaction is begun and committed by SQL travelling with the work's first and last statements
/// (<see cref="LedgerSession"/>), not by round trips of their own. A singleton: a use case's call builds no DbContext
/// for it (ADR 0220).
/// </summary>
internal sealed class BillingTransactions(SqlSession sql)
{
    private const int MaxAttempts = 8;

    /// <summary>Runs the work in the transaction <paramref name="db"/> has open (an inbox handler's), which its owner commits.</summary>
    public static async Task<T> JoinAsync<T>(DbContext db, Func<LedgerSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var joined = new LedgerSession(
            SqlSession.ConnectionOf(db),
            SqlSession.TransactionOf(db) ?? throw new InvalidOperationException("JoinAsync needs the caller's open transaction."),
            ownsTransaction: false);
        var outcome = await work(joined);
        await joined.CompleteAsync(cancellationToken);
        return outcome;
    }

    public async Task<T> RunAsync<T>(Func<LedgerSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await sql.OpenAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var session = new LedgerSession(connection, null, ownsTransaction: true);
            try
            {
                var result = await work(session);
                if (result is IResult outcome && !outcome.IsSuccess)
                {
                    await session.RollbackAsync(cancellationToken);
                }
                else
                {
                    await session.CompleteAsync(cancellationToken);
                }

                return result;
            }
            catch (PostgresException exception) when (IsTransient(exception) && attempt < MaxAttempts)
            {
                await session.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
            catch (Exception)
            {
                try
                {
                    await session.RollbackAsync(CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    // The connection broke: the server rolled the transaction back when it lost it.
                }

                throw;
            }
        }
    }

    /// <summary>Reads outside a transaction (each statement sees committed data).</summary>
    public async Task<T> ReadAsync<T>(Func<LedgerSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await sql.OpenAsync(cancellationToken);
        return await work(new LedgerSession(connection, null, ownsTransaction: false));
    }

    private static bool IsTransient(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation;
}
