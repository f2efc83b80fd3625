using Ardalis.Result;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Background;
using NanoBanana.Billing.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class HoldTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private Task<Result<ReserveResponse>> ReserveAsync(long user, long amount, string key, int expiresInSeconds = 0) =>
        billing.AsModule(new ReserveRequest { UserId = user, Amount = amount, IdempotencyKey = key, Purpose = "generation", Reference = "job-1", ExpiresInSeconds = expiresInSeconds });

    [Fact]
    public async Task Reserve_moves_credits_to_reserved_and_capture_spends_them()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);

        var hold = await ReserveAsync(user, 30, $"r:{user}");
        Assert.True(hold.IsSuccess, hold.ToString());
        Assert.False(hold.Value.InsufficientFunds);
        Assert.Equal((70L, 30L), (hold.Value.Balance.Available, hold.Value.Balance.Reserved));

        var capture = await billing.AsModule(new CaptureRequest { HoldId = hold.Value.HoldId });
        Assert.Equal(30, capture.Value.Captured);
        Assert.Equal((70L, 0L), (capture.Value.Balance.Available, capture.Value.Balance.Reserved));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Release_gives_the_credits_back()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 50);
        var hold = await ReserveAsync(user, 50, $"r:{user}");

        var release = await billing.AsModule(new ReleaseRequest { HoldId = hold.Value.HoldId, Reason = "provider failed" });

        Assert.Equal(50, release.Value.Released);
        Assert.Equal((50L, 0L), (release.Value.Balance.Available, release.Value.Balance.Reserved));
    }

    [Fact]
    public async Task Short_balance_reports_balance_and_shortfall_and_changes_nothing()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 15);

        var result = await ReserveAsync(user, 40, $"r:{user}");

        Assert.True(result.IsSuccess);
        Assert.True(result.Value.InsufficientFunds);
        Assert.Equal(25, result.Value.Shortfall);
        Assert.Equal(15, result.Value.Balance.Available);
        Assert.Empty(result.Value.HoldId);
        Assert.Equal(15, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_user_without_an_account_has_zero_and_cannot_reserve()
    {
        var user = billing.NewUser();

        Assert.Equal(0, (await billing.BalanceAsync(user)).Available);
        var result = await ReserveAsync(user, 1, $"r:{user}");
        Assert.Equal(1, result.Value.Shortfall);
    }

    [Fact]
    public async Task Same_key_same_arguments_returns_the_first_result_and_reserves_once()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);

        var first = await ReserveAsync(user, 10, $"r:{user}");
        var second = await ReserveAsync(user, 10, $"r:{user}");

        Assert.Equal(first.Value, second.Value);
        Assert.Equal((90L, 10L), ((await billing.BalanceAsync(user)).Available, (await billing.BalanceAsync(user)).Reserved));
    }

    [Fact]
    public async Task Same_key_different_arguments_is_a_conflict()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);
        await ReserveAsync(user, 10, $"r:{user}");

        var other = await ReserveAsync(user, 11, $"r:{user}");
        var otherKind = await billing.AsModule(new CreditRequest { UserId = user, Amount = 10, Kind = EntryKind.Refund, IdempotencyKey = $"r:{user}" });

        Assert.Equal(ResultStatus.Conflict, other.Status);
        Assert.Equal(ResultStatus.Conflict, otherKind.Status);
        Assert.Equal(90, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Same_key_for_another_user_is_a_conflict_even_when_sent_at_once()
    {
        var (a, b) = (billing.NewUser(), billing.NewUser());
        await billing.FundAsync(a, 100);
        await billing.FundAsync(b, 100);
        var key = $"shared:{a}";

        var results = await Task.WhenAll(ReserveAsync(a, 10, key), ReserveAsync(b, 10, key));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => r.Status == ResultStatus.Conflict);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Capture_repeats_return_the_same_result_and_release_after_capture_conflicts()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);
        var hold = await ReserveAsync(user, 40, $"r:{user}");
        var first = await billing.AsModule(new CaptureRequest { HoldId = hold.Value.HoldId });
        await billing.FundAsync(user, 5);

        var again = await billing.AsModule(new CaptureRequest { HoldId = hold.Value.HoldId });
        var release = await billing.AsModule(new ReleaseRequest { HoldId = hold.Value.HoldId });

        Assert.Equal(first.Value, again.Value);
        Assert.Equal(ResultStatus.Conflict, release.Status);
        Assert.Equal((65L, 0L), ((await billing.BalanceAsync(user)).Available, (await billing.BalanceAsync(user)).Reserved));
    }

    [Fact]
    public async Task Release_repeats_return_the_same_result_and_capture_after_release_conflicts()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);
        var hold = await ReserveAsync(user, 40, $"r:{user}");
        var first = await billing.AsModule(new ReleaseRequest { HoldId = hold.Value.HoldId, Reason = "cancelled" });

        var again = await billing.AsModule(new ReleaseRequest { HoldId = hold.Value.HoldId, Reason = "cancelled" });
        var capture = await billing.AsModule(new CaptureRequest { HoldId = hold.Value.HoldId });

        Assert.Equal(first.Value, again.Value);
        Assert.Equal(ResultStatus.Conflict, capture.Status);
        Assert.Equal(100, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Concurrent_capture_and_release_of_one_hold_let_exactly_one_win()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);
        var hold = await ReserveAsync(user, 40, $"r:{user}");

        var captureTask = billing.AsModule(new CaptureRequest { HoldId = hold.Value.HoldId });
        var releaseTask = billing.AsModule(new ReleaseRequest { HoldId = hold.Value.HoldId });
        var (capture, release) = (await captureTask, await releaseTask);

        Assert.True(capture.IsSuccess ^ release.IsSuccess);
        Assert.Equal(ResultStatus.Conflict, capture.IsSuccess ? release.Status : capture.Status);
        var balance = await billing.BalanceAsync(user);
        Assert.Equal(capture.IsSuccess ? 60 : 100, balance.Available);
        Assert.Equal(0, balance.Reserved);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Unknown_or_malformed_hold_ids_are_not_found_or_invalid()
    {
        var unknown = await billing.AsModule(new CaptureRequest { HoldId = Guid.NewGuid().ToString() });
        var malformed = await billing.AsModule(new ReleaseRequest { HoldId = "not-a-uuid" });

        Assert.Equal(ResultStatus.NotFound, unknown.Status);
        Assert.Equal(ResultStatus.Invalid, malformed.Status);
        Assert.Contains(malformed.ValidationErrors, e => e.Identifier == "hold_id");
    }

    [Fact]
    public async Task Invalid_amounts_and_missing_keys_are_rejected_with_field_errors()
    {
        var result = await billing.AsModule(new ReserveRequest { UserId = billing.NewUser(), Amount = -5, Purpose = "generation" });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "amount");
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "idempotency_key");
    }

    [Fact]
    public async Task Sweeper_releases_expired_holds_only_and_a_later_release_returns_its_result()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);
        var shortHold = await ReserveAsync(user, 10, $"short:{user}", expiresInSeconds: 60);
        var longHold = await ReserveAsync(user, 20, $"long:{user}", expiresInSeconds: 3600);

        billing.Clock.Advance(TimeSpan.FromMinutes(2));
        var sweeper = billing.Host.Services.GetRequiredService<ExpireHolds>();
        await sweeper.SweepAsync(CancellationToken.None);

        var balance = await billing.BalanceAsync(user);
        Assert.Equal((80L, 20L), (balance.Available, balance.Reserved));
        Assert.Equal(ResultStatus.Conflict, (await billing.AsModule(new CaptureRequest { HoldId = shortHold.Value.HoldId })).Status);
        var release = await billing.AsModule(new ReleaseRequest { HoldId = shortHold.Value.HoldId });
        Assert.Equal(10, release.Value.Released);
        Assert.True((await billing.AsModule(new CaptureRequest { HoldId = longHold.Value.HoldId })).IsSuccess);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Debit_never_goes_below_zero()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 10);

        var debit = await billing.AsModule(new DebitRequest { UserId = user, Amount = 11, Kind = EntryKind.AdminDebit, IdempotencyKey = $"d:{user}" });
        var exact = await billing.AsModule(new DebitRequest { UserId = user, Amount = 10, Kind = EntryKind.AdminDebit, IdempotencyKey = $"d:{user}" });

        Assert.True(debit.Value.InsufficientFunds);
        Assert.False(exact.Value.InsufficientFunds);
        Assert.Equal(0, exact.Value.Balance.Available);
    }

    [Fact]
    public async Task Replays_return_the_first_response_whatever_the_size_of_its_figures()
    {
        // The ledger functions write the recorded balances and amounts as protobuf varints; these take 1 to 5 bytes.
        var user = billing.NewUser();
        await billing.FundAsync(user, Features.BillingLimits.MaxAmount);
        await billing.FundAsync(user, Features.BillingLimits.MaxAmount);
        foreach (var amount in new long[] { 1, 127, 128, 16_384, 300_000_000 })
        {
            var reserve = await ReserveAsync(user, amount, $"size:{user}:{amount}");
            var capture = await billing.AsModule(new CaptureRequest { HoldId = reserve.Value.HoldId, Amount = (amount + 1) / 2 });
            var held = await ReserveAsync(user, amount, $"size:{user}:{amount}:released");
            var release = await billing.AsModule(new ReleaseRequest { HoldId = held.Value.HoldId });

            Assert.Equal(reserve.Value, (await ReserveAsync(user, amount, $"size:{user}:{amount}")).Value);
            Assert.Equal(capture.Value, (await billing.AsModule(new CaptureRequest { HoldId = reserve.Value.HoldId, Amount = (amount + 1) / 2 })).Value);
            Assert.Equal(release.Value, (await billing.AsModule(new ReleaseRequest { HoldId = held.Value.HoldId })).Value);
            Assert.Equal(amount / 2, capture.Value.Released);
        }

        await billing.AssertInvariantsAsync();
    }
}
