using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class LedgerAdminTests(BillingHost billing) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task Adjust_balance_records_the_acting_key_and_reason()
    {
        var user = billing.NewUser();

        var grant = await billing.AsAdmin(new AdjustBalanceRequest { UserId = user, Amount = 30, Reason = "compensation #12", IdempotencyKey = $"adj:{user}:1" });
        var debit = await billing.AsAdmin(new AdjustBalanceRequest { UserId = user, Amount = -40, Reason = "too much", IdempotencyKey = $"adj:{user}:2" });
        var ledger = await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, Language = "en" });

        Assert.Equal(30, grant.Value.Balance.Available);
        Assert.True(debit.Value.InsufficientFunds);
        var entry = Assert.Single(ledger.Value.Entries);
        Assert.Equal((EntryKind.AdminGrant, "key:ops-console", "compensation #12", "Granted by support"), (entry.Kind, entry.Actor, entry.Reference, entry.Description));
    }

    [Fact]
    public async Task Transactions_page_newest_first_without_gaps_in_the_callers_language()
    {
        var user = billing.NewUser();
        for (var i = 1; i <= 25; i++)
        {
            await billing.AsModule(new CreditRequest { UserId = user, Amount = i, Kind = EntryKind.TopUp, IdempotencyKey = $"page:{user}:{i}" });
        }

        var amounts = new List<long>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await billing.AsUser(user, new ListTransactionsRequest { PageSize = 10, PageToken = token, Language = "ru" });
            amounts.AddRange(page.Value.Transactions.Select(t => t.Amount));
            Assert.All(page.Value.Transactions, t => Assert.Equal("Пополнение баланса", t.Description));
            token = page.Value.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 25).Reverse().Select(i => (long)i), amounts);
        var english = await billing.AsUser(user, new ListTransactionsRequest { PageSize = 1, Language = "en" });
        Assert.Equal("Balance top-up", english.Value.Transactions[0].Description);
        var unnamed = await billing.AsUser(user, new ListTransactionsRequest { PageSize = 1 });
        Assert.Equal("Balance top-up", unnamed.Value.Transactions[0].Description); // no language: the default, English (ADR 0190)
    }

    [Fact]
    public async Task Public_methods_need_a_user_and_bad_page_tokens_are_invalid()
    {
        Assert.Equal(ResultStatus.Unauthorized, (await billing.AsModule(new GetBalanceRequest())).Status);
        Assert.Equal(ResultStatus.Unauthorized, (await billing.AsAdmin(new ListTransactionsRequest())).Status);
        var bad = await billing.AsUser(billing.NewUser(), new ListTransactionsRequest { PageToken = "abc" });
        Assert.Equal(ResultStatus.Invalid, bad.Status);
        Assert.Contains(bad.ValidationErrors, e => e.Identifier == "page_token");
    }

    [Fact]
    public async Task Check_ledger_finds_no_drift_normally_and_reports_injected_drift()
    {
        var (healthy, tampered, orphan) = (billing.NewUser(), billing.NewUser(), billing.NewUser());
        await billing.FundAsync(healthy, 50);
        await billing.FundAsync(tampered, 50);
        var hold = await billing.AsModule(new ReserveRequest { UserId = healthy, Amount = 20, IdempotencyKey = $"chk:{healthy}", Purpose = "generation" });
        Assert.True(hold.IsSuccess);
        Assert.Empty((await billing.AsAdmin(new CheckLedgerRequest())).Value.Drifts);

        await billing.ExecuteSqlAsync($"UPDATE billing.accounts SET available = available + 7 WHERE user_id = {tampered}");
        await billing.ExecuteSqlAsync(
            $"INSERT INTO billing.ledger (user_id, kind, amount, available_after, reserved_after, reference, idempotency_key, actor, created_at) VALUES ({orphan}, 1, 5, 5, 0, '', 'forged:{orphan}', 'sql', now())");
        var check = (await billing.AsAdmin(new CheckLedgerRequest())).Value;

        Assert.Equal([tampered, orphan], check.Drifts.Select(d => d.UserId).Order());
        var drift = check.Drifts.Single(d => d.UserId == tampered);
        Assert.Equal((57L, 50L), (drift.Available, drift.LedgerSum));
        Assert.Contains("ledger sum", drift.Problem, StringComparison.Ordinal);

        // Put the books right again so the class ends clean.
        await billing.ExecuteSqlAsync($"UPDATE billing.accounts SET available = available - 7 WHERE user_id = {tampered}");
        await billing.ExecuteSqlAsync($"INSERT INTO billing.accounts (user_id, available, reserved, version, updated_at) VALUES ({orphan}, 5, 0, 1, now())");
        Assert.Empty((await billing.AsAdmin(new CheckLedgerRequest())).Value.Drifts);
    }

    [Fact]
    public async Task The_ledger_refuses_updates_and_deletes()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 5);

        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => billing.ExecuteSqlAsync($"UPDATE billing.ledger SET amount = 500 WHERE user_id = {user}"));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => billing.ExecuteSqlAsync($"DELETE FROM billing.ledger WHERE user_id = {user}"));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
    }
}
