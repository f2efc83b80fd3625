using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using Npgsql;
using Xunit;

namespace NanoBanana.Billing.Tests;

/// <summary>
/// A capture of part of a hold (a job that delivered 3 of 4 images, ADR 0160): the delivered part is spent, the rest
/// released, in one transaction and one ledger story; replays change nothing and every other close is refused.
/// </summary>
public sealed class PartialCaptureTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private async Task<(long User, string HoldId)> HoldAsync(long funds, long amount)
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, funds);
        var hold = await billing.AsModule(new ReserveRequest { UserId = user, Amount = amount, IdempotencyKey = $"r:{user}", Purpose = "generation", Reference = "job-1" });
        Assert.True(hold.IsSuccess && !hold.Value.InsufficientFunds, hold.ToString());
        return (user, hold.Value.HoldId);
    }

    private Task<Result<CaptureResponse>> CaptureAsync(string holdId, long amount) => billing.AsModule(new CaptureRequest { HoldId = holdId, Amount = amount });

    private async Task<List<(EntryKind Kind, long Amount, long Available, long Reserved)>> HoldEntriesAsync(string holdId)
    {
        await using var connection = new NpgsqlConnection(billing.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind, amount, available_after, reserved_after FROM billing.ledger WHERE hold_id = @hold ORDER BY id", connection);
        command.Parameters.AddWithValue("hold", Guid.Parse(holdId));
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(EntryKind, long, long, long)>();
        while (await reader.ReadAsync())
        {
            entries.Add(((EntryKind)reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return entries;
    }

    [Fact]
    public async Task A_partial_capture_spends_the_amount_and_gives_the_rest_back_in_one_ledger_story()
    {
        var (user, holdId) = await HoldAsync(100, 60);

        var capture = await CaptureAsync(holdId, 45);

        Assert.True(capture.IsSuccess, capture.ToString());
        Assert.Equal((45L, 15L), (capture.Value.Captured, capture.Value.Released));
        Assert.Equal((55L, 0L), (capture.Value.Balance.Available, capture.Value.Balance.Reserved));
        Assert.Equal(
            [(EntryKind.Hold, 0L, 40L, 60L), (EntryKind.Capture, -45L, 40L, 15L), (EntryKind.Release, 0L, 55L, 0L)],
            await HoldEntriesAsync(holdId));
        Assert.Equal(55, (await billing.BalanceAsync(user)).Available);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_replayed_partial_capture_changes_nothing_and_any_other_close_is_refused()
    {
        var (user, holdId) = await HoldAsync(100, 60);
        var first = await CaptureAsync(holdId, 45);
        await billing.FundAsync(user, 5);

        var again = await CaptureAsync(holdId, 45);
        var otherAmount = await CaptureAsync(holdId, 30);
        var whole = await CaptureAsync(holdId, 0);
        var release = await billing.AsModule(new ReleaseRequest { HoldId = holdId, Reason = "late failure" });

        Assert.Equal(first.Value, again.Value);
        Assert.Equal(ResultStatus.Conflict, otherAmount.Status);
        Assert.Equal(ResultStatus.Conflict, whole.Status);
        Assert.Equal(ResultStatus.Conflict, release.Status);
        Assert.Equal((60L, 0L), ((await billing.BalanceAsync(user)).Available, (await billing.BalanceAsync(user)).Reserved));
        Assert.Equal(3, (await HoldEntriesAsync(holdId)).Count);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Capturing_the_whole_amount_explicitly_replays_a_capture_without_an_amount()
    {
        var (_, holdId) = await HoldAsync(100, 40);

        var implicitWhole = await CaptureAsync(holdId, 0);
        var explicitWhole = await CaptureAsync(holdId, 40);

        Assert.Equal((40L, 0L), (implicitWhole.Value.Captured, implicitWhole.Value.Released));
        Assert.Equal(implicitWhole.Value, explicitWhole.Value);
        Assert.Equal([EntryKind.Hold, EntryKind.Capture], (await HoldEntriesAsync(holdId)).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_capture_above_the_hold_is_refused_with_a_field_error_and_the_hold_stays_open()
    {
        var (user, holdId) = await HoldAsync(100, 60);

        var tooMuch = await CaptureAsync(holdId, 61);
        var negative = await CaptureAsync(holdId, -1);

        Assert.Equal(ResultStatus.Invalid, tooMuch.Status);
        Assert.Contains(tooMuch.ValidationErrors, e => e.Identifier == "amount" && e.ErrorMessage.Contains("holds 60", StringComparison.Ordinal));
        Assert.Equal(ResultStatus.Invalid, negative.Status);
        Assert.Contains(negative.ValidationErrors, e => e.Identifier == "amount");
        Assert.Equal((40L, 60L), ((await billing.BalanceAsync(user)).Available, (await billing.BalanceAsync(user)).Reserved));
        Assert.True((await CaptureAsync(holdId, 60)).IsSuccess);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_partial_capture_after_a_release_is_refused()
    {
        var (user, holdId) = await HoldAsync(100, 60);
        await billing.AsModule(new ReleaseRequest { HoldId = holdId, Reason = "failed" });

        var capture = await CaptureAsync(holdId, 45);

        Assert.Equal(ResultStatus.Conflict, capture.Status);
        Assert.Equal(100, (await billing.BalanceAsync(user)).Available);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Concurrent_partial_capture_replays_and_a_release_settle_the_hold_exactly_once()
    {
        var (user, holdId) = await HoldAsync(100, 60);

        var captures = Enumerable.Range(0, 8).Select(_ => CaptureAsync(holdId, 45)).ToList();
        var releasing = billing.AsModule(new ReleaseRequest { HoldId = holdId, Reason = "cancelled" });
        var outcomes = await Task.WhenAll(captures);
        var release = await releasing;

        var captured = outcomes.Where(c => c.IsSuccess).ToList();
        Assert.All(outcomes.Where(c => !c.IsSuccess), c => Assert.Equal(ResultStatus.Conflict, c.Status));
        Assert.True(captured.Count == 0 ^ !release.IsSuccess, "either the release or the captures won, never both");
        Assert.All(captured, c => Assert.Equal(captured[0].Value, c.Value));
        var balance = await billing.BalanceAsync(user);
        Assert.Equal((captured.Count > 0 ? 55L : 100L, 0L), (balance.Available, balance.Reserved));
        Assert.Equal(captured.Count > 0 ? 3 : 2, (await HoldEntriesAsync(holdId)).Count);
        await billing.AssertInvariantsAsync();
    }
}
