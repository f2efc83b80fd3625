using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NanoBanana.Billing.Persistence;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;

namespace NanoBanana.Billing.Ledger;

/// <summary>
/// Runs ledger work in one PostgreSQL transaction on a connection of the Host's pool (<see cref="SqlSession"/>). Work that fails with a
/// result rolls back; transient conflicts (deadlock, serialization failure, a unique key taken by a
/// concurrent transaction) are retried from the start, where the work then sees the winner's rows.
/// Inside an ambient transaction (an inbox handler's) the work joins it and the caller owns retries.
/// The transaction is begun and committed by SQL travelling with the work's first and last statements
/// (<see cref="LedgerSession"/>), not by round trips of their own.
/// </summary>
internal sealed class BillingTransactions(BillingDbContext db, SqlSession sql)
{
    private const int MaxAttempts = 8;

    public async Task<T> RunAsync<T>(Func<LedgerSession, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = new LedgerSession(SqlSession.ConnectionOf(db), SqlSession.TransactionOf(db), ownsTransaction: false);
            var outcome = await work(joined);
            await joined.CompleteAsync(cancellationToken);
            return outcome;
        }

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
