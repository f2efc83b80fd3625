using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Reconciliation: every account against the sum of its ledger, the sum of its open holds, its last
/// ledger entry's balance-after and its credits that expire (never more than available, ADR 0161). Read in one repeatable-read snapshot so concurrent traffic cannot fake drift.
/// </summary>
internal sealed class CheckLedger(BillingTransactions transactions) : IUseCaseHandler<CheckLedgerRequest, CheckLedgerResponse>
{
    public Task<Result<CheckLedgerResponse>> Handle(CheckLedgerRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            async session =>
            {
                await session.ExecuteAsync("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", cancellationToken);
                await using var command = session.Command(
                    """
                    WITH ledger AS (SELECT user_id, sum(amount) AS total FROM billing.ledger GROUP BY user_id),
                         holds AS (SELECT user_id, sum(amount) AS total FROM billing.holds WHERE status = 'open' GROUP BY user_id),
                         last AS (SELECT DISTINCT ON (user_id) user_id, available_after, reserved_after FROM billing.ledger ORDER BY user_id, id DESC),
                         grants AS (SELECT user_id, sum(remaining) AS total FROM billing.credit_grants WHERE expired_at IS NULL GROUP BY user_id),
                         users AS (SELECT user_id FROM billing.accounts UNION SELECT user_id FROM ledger UNION SELECT user_id FROM holds)
                    SELECT u.user_id, coalesce(a.available, 0), coalesce(a.reserved, 0), coalesce(l.total, 0), coalesce(h.total, 0),
                           last.available_after, last.reserved_after, a.user_id IS NULL, coalesce(g.total, 0)
                    FROM users u
                    LEFT JOIN billing.accounts a ON a.user_id = u.user_id
                    LEFT JOIN ledger l ON l.user_id = u.user_id
                    LEFT JOIN holds h ON h.user_id = u.user_id
                    LEFT JOIN last ON last.user_id = u.user_id
                    LEFT JOIN grants g ON g.user_id = u.user_id
                    ORDER BY u.user_id
                    """);
                var response = new CheckLedgerResponse();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    response.AccountsChecked++;
                    var drift = new LedgerDrift
                    {
                        UserId = reader.GetInt64(0),
                        Available = reader.GetInt64(1),
                        Reserved = reader.GetInt64(2),
                        LedgerSum = reader.GetInt64(3),
                        OpenHoldsSum = reader.GetInt64(4),
                    };
                    var problems = new List<string>();
                    if (reader.GetBoolean(7))
                    {
                        problems.Add("ledger entries or holds without an account");
                    }

                    if (drift.Available + drift.Reserved != drift.LedgerSum)
                    {
                        problems.Add("available + reserved differs from the ledger sum");
                    }

                    if (drift.Reserved != drift.OpenHoldsSum)
                    {
                        problems.Add("reserved differs from the open holds");
                    }

                    if (drift.Available < 0 || drift.Reserved < 0)
                    {
                        problems.Add("negative balance");
                    }

                    if (!reader.IsDBNull(5) && (reader.GetInt64(5) != drift.Available || reader.GetInt64(6) != drift.Reserved))
                    {
                        problems.Add("balance differs from the last ledger entry");
                    }

                    if (reader.GetInt64(8) > drift.Available)
                    {
                        problems.Add("plan credits that expire exceed the available balance");
                    }

                    if (problems.Count > 0)
                    {
                        drift.Problem = string.Join("; ", problems);
                        response.Drifts.Add(drift);
                    }
                }

                return Result<CheckLedgerResponse>.Success(response);
            },
            cancellationToken);
}
