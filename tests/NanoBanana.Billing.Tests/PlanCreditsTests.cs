using Google.Protobuf.WellKnownTypes;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Background;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Features;
using NanoBanana.Billing.Integration;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

/// <summary>
/// Credits that expire (ADR 0161): a plan period without rollover and the free plan's monthly allowance are spent
/// before bought credits, expire exactly once at their end with a ledger entry, come back to their grant on a release,
/// and never touch bought credits. The class's clock starts on 10 March 2026.
/// </summary>
public sealed class PlanCreditsTests(BillingHost billing) : IClassFixture<BillingHost>, IAsyncLifetime
{
    private const string NoRolloverPlan = "pro-monthly";

    public async Task InitializeAsync()
    {
        // A plan whose period credits lapse, next to the seeded ones (which roll over).
        await using var scope = billing.Host.Services.CreateAsyncScope();
        var pro = (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetPlanRequest { Id = "pro" })).Value.Plan;
        pro.Id = NoRolloverPlan;
        pro.CreditsRollover = false;
        Assert.True((await billing.AsAdmin(new UpsertPlanRequest { Plan = pro })).IsSuccess);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTimeOffset Now => billing.Clock.GetUtcNow();

    private Task PayPeriodAsync(long user, string orderId, string planId, long credits, DateTimeOffset periodEnd, Guid? eventId = null) =>
        billing.DeliverAsync<PaymentSucceeded, CreditPaidTopUp>(
            new PaymentSucceeded
            {
                OrderId = orderId, UserId = user, PackageId = planId, PlanId = planId, Credits = credits, AmountMinor = 270, Currency = "XTR",
                Method = PaymentMethod.Stars, PeriodEndsAt = Timestamp.FromDateTimeOffset(periodEnd),
            },
            eventId ?? Guid.NewGuid());

    /// <summary>A user on a paid plan (so no free allowance interferes) with <paramref name="bought"/> bought credits.</summary>
    private async Task<long> SubscriberAsync(long bought, long planCredits, DateTimeOffset periodEnd, string planId = NoRolloverPlan)
    {
        var user = billing.NewUser();
        if (bought > 0)
        {
            await billing.FundAsync(user, bought);
        }

        await PayPeriodAsync(user, $"order-{user}", planId, planCredits, periodEnd);
        return user;
    }

    private Task<int> SweepAsync() => billing.Host.Services.GetRequiredService<ExpireCreditGrants>().SweepAsync(CancellationToken.None);

    /// <summary>What the user sees (GetBalance, which grants a due free allowance).</summary>
    private async Task<GetBalanceResponse> BalanceAsync(long user) => (await billing.AsUser(user, new GetBalanceRequest())).Value;

    /// <summary>The stored balance and expiring credits, read without granting anything (support's ledger, GetUserPlan).</summary>
    private async Task<(long Available, long Reserved, long PlanCredits)> StoredAsync(long user)
    {
        var balance = (await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, PageSize = 1 })).Value.Balance;
        var plan = (await billing.AsModule(new GetUserPlanRequest { UserId = user })).Value;
        return (balance.Available, balance.Reserved, plan.PlanCredits);
    }

    /// <summary>Moves the clock into the next calendar month (UTC), plus <paramref name="extra"/>.</summary>
    private void AdvanceToNextMonth(TimeSpan extra)
    {
        var now = Now.UtcDateTime;
        billing.Clock.Advance(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1) - Now + extra);
    }

    private async Task<string> ReserveAsync(long user, long amount)
    {
        var hold = await billing.AsModule(new ReserveRequest { UserId = user, Amount = amount, IdempotencyKey = $"r:{Guid.NewGuid()}", Purpose = "generation", Reference = "job" });
        Assert.True(hold.IsSuccess && !hold.Value.InsufficientFunds, hold.ToString());
        return hold.Value.HoldId;
    }

    private async Task<List<LedgerEntry>> EntriesAsync(long user, EntryKind kind) =>
        [.. (await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, PageSize = 100 })).Value.Entries.Where(e => e.Kind == kind)];

    [Fact]
    public async Task Period_credits_without_rollover_are_spent_first_and_only_their_rest_expires_exactly_once()
    {
        var periodEnd = Now.AddDays(30);
        var user = await SubscriberAsync(bought: 100, planCredits: 350, periodEnd);

        var balance = await BalanceAsync(user);
        Assert.Equal((450L, 350L), (balance.Balance.Available, balance.PlanCredits));
        Assert.Equal(periodEnd, balance.PlanCreditsExpireAt.ToDateTimeOffset());
        await billing.AsModule(new CaptureRequest { HoldId = await ReserveAsync(user, 50) });
        Assert.Equal((400L, 0L, 300L), await StoredAsync(user));

        billing.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal((400L, 0L, 300L), await StoredAsync(user)); // Not a second early.

        billing.Clock.Advance(TimeSpan.FromSeconds(1));
        await SweepAsync();
        await SweepAsync();

        Assert.Equal((100L, 0L, 0L), await StoredAsync(user));
        Assert.Equal([-300L], (await EntriesAsync(user, EntryKind.PlanCreditsExpired)).Select(e => e.Amount));
        Assert.Equal(PlanIds.Free, (await billing.AsModule(new GetUserPlanRequest { UserId = user })).Value.PlanId);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_plan_with_rollover_keeps_its_credits_after_the_period()
    {
        var user = await SubscriberAsync(bought: 0, planCredits: 350, Now.AddDays(30), planId: "pro");

        Assert.Equal((350L, 0L, 0L), await StoredAsync(user));
        billing.Clock.Advance(TimeSpan.FromDays(31));
        await SweepAsync();

        Assert.Equal((350L, 0L, 0L), await StoredAsync(user));
        Assert.Empty(await EntriesAsync(user, EntryKind.PlanCreditsExpired));
    }

    [Fact]
    public async Task A_period_redelivered_grants_once_and_concurrent_sweeps_expire_it_once()
    {
        var user = billing.NewUser();
        var periodEnd = Now.AddDays(30);
        var eventId = Guid.NewGuid();
        await PayPeriodAsync(user, $"order-{user}", NoRolloverPlan, 350, periodEnd, eventId);
        await PayPeriodAsync(user, $"order-{user}", NoRolloverPlan, 350, periodEnd, eventId);
        await PayPeriodAsync(user, $"order-{user}", NoRolloverPlan, 350, periodEnd); // republished under a new id

        Assert.Equal((350L, 0L, 350L), await StoredAsync(user));
        billing.Clock.Advance(TimeSpan.FromDays(31));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SweepAsync()));

        Assert.Single(await EntriesAsync(user, EntryKind.PlanCreditsExpired));
        Assert.Equal((0L, 0L, 0L), await StoredAsync(user));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_hold_open_across_the_end_spends_its_plan_credits_on_capture_and_expires_them_on_release()
    {
        var captured = await SubscriberAsync(bought: 20, planCredits: 30, Now.AddDays(30));
        var released = await SubscriberAsync(bought: 20, planCredits: 30, Now.AddDays(30));
        var captureHold = await ReserveAsync(captured, 40); // 30 plan + 10 bought
        var releaseHold = await ReserveAsync(released, 40);

        billing.Clock.Advance(TimeSpan.FromDays(31));
        await SweepAsync();
        await billing.AsModule(new CaptureRequest { HoldId = captureHold });
        var release = await billing.AsModule(new ReleaseRequest { HoldId = releaseHold, Reason = "failed" });

        // Spent: 30 plan + 10 bought, 10 bought left. Released: the 30 plan credits lapse as they come back, the 20 bought stay.
        Assert.Equal((10L, 0L, 0L), await StoredAsync(captured));
        Assert.Equal(20, release.Value.Balance.Available);
        Assert.Equal((20L, 0L, 0L), await StoredAsync(released));
        Assert.Equal([-30L], (await EntriesAsync(released, EntryKind.PlanCreditsExpired)).Select(e => e.Amount));
        Assert.Empty(await EntriesAsync(captured, EntryKind.PlanCreditsExpired));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_partial_capture_spends_plan_credits_first_and_gives_the_rest_back_where_it_came_from()
    {
        var user = await SubscriberAsync(bought: 10, planCredits: 30, Now.AddDays(30));
        var hold = await ReserveAsync(user, 35); // 30 plan + 5 bought
        Assert.Equal((5L, 35L, 0L), await StoredAsync(user));

        await billing.AsModule(new CaptureRequest { HoldId = hold, Amount = 20 });

        // 20 spent from the plan credits; the other 10 plan credits and the 5 bought ones come back where they were.
        Assert.Equal((20L, 0L, 10L), await StoredAsync(user));
        billing.Clock.Advance(TimeSpan.FromDays(31));
        await SweepAsync();
        Assert.Equal((10L, 0L, 0L), await StoredAsync(user));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_debit_takes_bought_credits_first_and_plan_credits_only_beyond_them()
    {
        var user = await SubscriberAsync(bought: 40, planCredits: 100, Now.AddDays(30));

        await billing.AsModule(new DebitRequest { UserId = user, Amount = 60, Kind = EntryKind.AdminDebit, IdempotencyKey = $"d:{user}" });

        Assert.Equal((80L, 0L, 80L), await StoredAsync(user));
        billing.Clock.Advance(TimeSpan.FromDays(31));
        await SweepAsync();
        Assert.Equal((0L, 0L, 0L), await StoredAsync(user));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_free_user_gets_the_monthly_allowance_once_per_month_whatever_the_concurrency()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 5);
        Assert.Equal(0, (await BalanceAsync(user)).PlanCredits); // The month of the first credit: the welcome bonus's.
        AdvanceToNextMonth(TimeSpan.FromHours(5));

        var looks = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => BalanceAsync(user)));

        Assert.All(looks.Where(l => l.PlanCredits > 0), l => Assert.Equal((15L, 10L), (l.Balance.Available, l.PlanCredits)));
        var now = await BalanceAsync(user);
        Assert.Equal((15L, 10L), (now.Balance.Available, now.PlanCredits));
        var expected = new DateTimeOffset(Now.UtcDateTime.Year, Now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Assert.Equal(expected, now.PlanCreditsExpireAt.ToDateTimeOffset());
        Assert.Single(await EntriesAsync(user, EntryKind.FreeAllowance));
        var plan = (await billing.AsModule(new GetUserPlanRequest { UserId = user })).Value;
        Assert.Equal((PlanIds.Free, 10L), (plan.PlanId, plan.PlanCredits));
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task The_allowance_does_not_roll_over_and_the_next_month_brings_a_new_one()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 5);
        AdvanceToNextMonth(TimeSpan.FromHours(1));
        await BalanceAsync(user);
        await billing.AsModule(new CaptureRequest { HoldId = await ReserveAsync(user, 4) }); // from the allowance
        Assert.Equal((11L, 0L, 6L), await StoredAsync(user));

        AdvanceToNextMonth(TimeSpan.FromHours(1));
        await SweepAsync();
        Assert.Equal([-6L], (await EntriesAsync(user, EntryKind.PlanCreditsExpired)).Select(e => e.Amount));
        Assert.Equal((5L, 0L, 0L), await StoredAsync(user));
        var next = await BalanceAsync(user);

        Assert.Equal((15L, 10L), (next.Balance.Available, next.PlanCredits));
        Assert.Equal(2, (await EntriesAsync(user, EntryKind.FreeAllowance)).Count);
        await billing.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_subscriber_gets_no_free_allowance_while_the_period_runs_and_one_after_it_ends()
    {
        var user = await SubscriberAsync(bought: 0, planCredits: 350, Now.AddDays(30), planId: "pro");
        AdvanceToNextMonth(TimeSpan.FromHours(1));

        var during = await BalanceAsync(user);
        var expiresAt = (await billing.AsModule(new GetUserPlanRequest { UserId = user })).Value.ExpiresAt;
        if (expiresAt is not null)
        {
            Assert.Equal((350L, 0L), (during.Balance.Available, during.PlanCredits));
            Assert.Empty(await EntriesAsync(user, EntryKind.FreeAllowance));
            billing.Clock.Advance(expiresAt.ToDateTimeOffset() - Now + TimeSpan.FromMinutes(1));
        }

        // Expiry leaves the user on FREE with the (rolled-over) bought credits intact, and the month's allowance on top.
        var after = await BalanceAsync(user);
        Assert.Equal(PlanIds.Free, (await billing.AsModule(new GetUserPlanRequest { UserId = user })).Value.PlanId);
        Assert.Equal((360L, 10L), (after.Balance.Available, after.PlanCredits));
    }
}
