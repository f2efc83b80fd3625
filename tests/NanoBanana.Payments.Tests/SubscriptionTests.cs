using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// Plans paid with Stars subscriptions over the use cases (as the bot calls them) against the fake Bot API and the
/// real Billing: each paid period credited once whatever the redeliveries, renewals moving the expiry, cancel and
/// resume through editUserStarSubscription, and the free plan after expiry with every credit kept.
/// </summary>
public sealed class SubscriptionTests : IAsyncLifetime
{
    private const long UserId = 4001;
    private PaymentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<long> AvailableAsync(long userId = UserId) => (await _harness.SendAsync(new GetBalanceRequest(), Principal.ForUser(userId))).Value.Balance.Available;

    /// <summary>Bounded wait for the outbox → Billing credit; asserts on the balance reached, not on timing.</summary>
    private async Task<long> WaitForBalanceAsync(long expected, long userId = UserId)
    {
        var available = 0L;
        for (var i = 0; i < 200 && (available = await AvailableAsync(userId)) != expected; i++)
        {
            await Task.Delay(50);
        }

        return available;
    }

    private async Task<GetUserPlanResponse> PlanAsync(long userId = UserId) => (await _harness.SendAsync(new GetUserPlanRequest { UserId = userId })).Value;

    private async Task<CreateBotSubscriptionResponse> SubscribeAsync(string plan = "pro", long userId = UserId)
    {
        var created = await _harness.SendAsync(new CreateBotSubscriptionRequest { UserId = userId, PlanId = plan, Language = "en" });
        Assert.True(created.IsSuccess, created.ToString());
        return created.Value;
    }

    private static ConfirmStarsPaymentRequest Period(CreateBotSubscriptionResponse subscription, string charge, DateTimeOffset periodEnd, bool first, long userId = UserId) => new()
    {
        UserId = userId,
        InvoicePayload = subscription.InvoiceLink[(subscription.InvoiceLink.IndexOf('$', StringComparison.Ordinal) + 1)..],
        Currency = "XTR",
        TotalAmount = subscription.Subscription.PriceStars,
        TelegramPaymentChargeId = charge,
        IsRecurring = true,
        IsFirstRecurring = first,
        SubscriptionExpirationDate = periodEnd.ToUnixTimeSeconds(),
    };

    private async Task<ConfirmStarsPaymentResponse> ConfirmAsync(ConfirmStarsPaymentRequest request)
    {
        var confirmed = await _harness.SendAsync(request);
        Assert.True(confirmed.IsSuccess, confirmed.ToString());
        return confirmed.Value;
    }

    [Fact]
    public async Task The_seeded_plans_are_listed_free_pro_creator_with_their_stars_prices()
    {
        var plans = (await _harness.SendAsync(new ListPlansRequest(), Principal.Anonymous)).Value.Plans;

        Assert.Equal(["free", "pro", "creator"], plans.Select(p => p.Id));
        Assert.Equal([0L, 270L, 540L], plans.Select(p => p.PriceStars));
        Assert.True(plans[0].Watermark);
        Assert.False(plans[1].Watermark);
        Assert.True(plans[2].QueuePriority > plans[1].QueuePriority && plans[1].QueuePriority > plans[0].QueuePriority);
    }

    [Fact]
    public async Task Subscribing_asks_Telegram_for_an_invoice_link_with_the_30_day_subscription_period()
    {
        var subscription = await SubscribeAsync();

        var call = Assert.Single(_harness.Telegram.Calls, c => c.Method == "createInvoiceLink");
        Assert.Equal(2_592_000, call.Body["subscription_period"]!.GetValue<int>());
        Assert.Equal("XTR", call.Body["currency"]!.GetValue<string>());
        Assert.Equal(270, call.Body["prices"]![0]!["amount"]!.GetValue<long>());
        Assert.Equal("PRO", call.Body["title"]!.GetValue<string>());
        Assert.Equal(Contracts.V1.SubscriptionStatus.Pending, subscription.Subscription.Status);
        Assert.Equal(350, subscription.Subscription.CreditsPerPeriod);
        Assert.Equal(PlanIds.Free, (await PlanAsync()).PlanId);
    }

    [Fact]
    public async Task The_first_payment_credits_the_period_once_however_often_it_is_redelivered_and_starts_the_plan()
    {
        var subscription = await SubscribeAsync();
        var periodEnd = DateTimeOffset.UtcNow.AddDays(30);
        var pay = Period(subscription, "charge-first", periodEnd, first: true);

        var first = await ConfirmAsync(pay);
        var redelivered = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _harness.SendAsync(pay)));

        Assert.True(first.NewlyConfirmed);
        Assert.All(redelivered, r => Assert.False(r.Value.NewlyConfirmed));
        Assert.Equal(350, await WaitForBalanceAsync(350));
        await Task.Delay(300);
        Assert.Equal(350, await AvailableAsync());
        Assert.Equal(1, await _harness.SucceededEventsAsync(first.TopUp.OrderId));
        var plan = await PlanAsync();
        Assert.Equal("pro", plan.PlanId);
        Assert.Equal(periodEnd.ToUnixTimeSeconds(), plan.ExpiresAt.Seconds);
        Assert.Equal(1, first.Subscription.PeriodsPaid);
    }

    [Fact]
    public async Task A_renewal_credits_the_next_period_and_moves_the_expiry_while_a_late_older_period_does_not_move_it_back()
    {
        var subscription = await SubscribeAsync();
        var firstEnd = DateTimeOffset.UtcNow.AddDays(30);
        var secondEnd = firstEnd.AddDays(30);
        await ConfirmAsync(Period(subscription, "charge-1", firstEnd, first: true));
        Assert.Equal(350, await WaitForBalanceAsync(350));

        var renewal = await ConfirmAsync(Period(subscription, "charge-2", secondEnd, first: false));
        var renewalAgain = await ConfirmAsync(Period(subscription, "charge-2", secondEnd, first: false));

        Assert.True(renewal.NewlyConfirmed);
        Assert.False(renewalAgain.NewlyConfirmed);
        Assert.Equal(700, await WaitForBalanceAsync(700));
        Assert.Equal(2, renewal.Subscription.PeriodsPaid);
        Assert.Equal(secondEnd.ToUnixTimeSeconds(), renewal.Subscription.ExpiresAt.Seconds);
        Assert.Equal(secondEnd.ToUnixTimeSeconds(), (await PlanAsync()).ExpiresAt.Seconds);
        var running = (await _harness.SendAsync(new GetMySubscriptionRequest(), Principal.ForUser(UserId))).Value.Subscription;
        Assert.Equal(secondEnd.ToUnixTimeSeconds(), running.ExpiresAt.Seconds);
        await Task.Delay(300);
        Assert.Equal(700, await AvailableAsync());
    }

    [Fact]
    public async Task Cancelling_and_resuming_go_through_editUserStarSubscription_with_the_first_charge_and_keep_the_paid_period()
    {
        var subscription = await SubscribeAsync();
        var periodEnd = DateTimeOffset.UtcNow.AddDays(30);
        await ConfirmAsync(Period(subscription, "charge-a", periodEnd, first: true));
        await ConfirmAsync(Period(subscription, "charge-b", periodEnd.AddDays(30), first: false));

        var cancelled = await _harness.SendAsync(new CancelMySubscriptionRequest(), Principal.ForUser(UserId));
        var resumed = await _harness.SendAsync(new ResumeMySubscriptionRequest(), Principal.ForUser(UserId));

        Assert.True(cancelled.IsSuccess, cancelled.ToString());
        Assert.True(resumed.IsSuccess, resumed.ToString());
        Assert.True(cancelled.Value.Subscription.Canceled);
        Assert.False(resumed.Value.Subscription.Canceled);
        var edits = _harness.Telegram.Calls.Where(c => c.Method == "editUserStarSubscription").Select(c => c.Body).ToList();
        Assert.Equal(2, edits.Count);
        Assert.All(edits, e => Assert.Equal("charge-a", e["telegram_payment_charge_id"]!.GetValue<string>()));
        Assert.All(edits, e => Assert.Equal(UserId, e["user_id"]!.GetValue<long>()));
        Assert.Equal([true, false], edits.Select(e => e["is_canceled"]?.GetValue<bool>() ?? false));
        await WaitForBalanceAsync(700); // The periods reach Billing through the Payments outbox: their credits and the plan land together.
        Assert.Equal("pro", (await PlanAsync()).PlanId);
    }

    [Fact]
    public async Task Cancelling_without_a_running_subscription_is_not_found_and_calls_nobody()
    {
        var cancelled = await _harness.SendAsync(new CancelMySubscriptionRequest(), Principal.ForUser(4999));

        Assert.Equal(ResultStatus.NotFound, cancelled.Status);
        Assert.DoesNotContain(_harness.Telegram.Calls, c => c.Method == "editUserStarSubscription");
    }

    [Fact]
    public async Task A_period_that_has_run_out_leaves_the_user_on_free_with_the_credits_kept()
    {
        const long userId = 4002;
        var subscription = await SubscribeAsync(userId: userId);
        // The period paid has ended (no renewal came): the plan is over, its credits are not.
        await ConfirmAsync(Period(subscription, "charge-gone", DateTimeOffset.UtcNow.AddMinutes(-1), first: true, userId: userId));

        Assert.Equal(350, await WaitForBalanceAsync(350, userId));
        var plan = await PlanAsync(userId);
        Assert.Equal(PlanIds.Free, plan.PlanId);
        Assert.Null(plan.ExpiresAt);
        Assert.Null((await _harness.SendAsync(new GetMySubscriptionRequest(), Principal.ForUser(userId))).Value.Subscription);
        // Free again: a new subscription can start.
        Assert.True((await _harness.SendAsync(new CreateBotSubscriptionRequest { UserId = userId, PlanId = "creator", Language = "en" })).IsSuccess);
    }

    [Fact]
    public async Task A_second_subscription_while_one_runs_is_refused_at_creation_and_at_pre_checkout()
    {
        var pending = await SubscribeAsync("creator");
        var subscription = await SubscribeAsync();
        await ConfirmAsync(Period(subscription, "charge-x", DateTimeOffset.UtcNow.AddDays(30), first: true));

        var again = await _harness.SendAsync(new CreateBotSubscriptionRequest { UserId = UserId, PlanId = "creator", Language = "en" });
        var verdict = await _harness.SendAsync(new ValidatePreCheckoutRequest
        {
            UserId = UserId, InvoicePayload = Period(pending, "unused", DateTimeOffset.UtcNow, first: true).InvoicePayload, Currency = "XTR", TotalAmount = 540, Language = "en",
        });

        Assert.Equal(ResultStatus.Conflict, again.Status);
        Assert.False(verdict.Value.Ok);
        Assert.Contains("already have a running plan", verdict.Value.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pre_checkout_refuses_someone_elses_subscription_and_a_wrong_amount_and_accepts_the_own_one()
    {
        var subscription = await SubscribeAsync();
        var payload = Period(subscription, "unused", DateTimeOffset.UtcNow, first: true).InvoicePayload;

        ValidatePreCheckoutRequest Check(long userId, long amount) => new() { UserId = userId, InvoicePayload = payload, Currency = "XTR", TotalAmount = amount, Language = "en" };
        var own = await _harness.SendAsync(Check(UserId, 270));
        var stranger = await _harness.SendAsync(Check(4998, 270));
        var wrongAmount = await _harness.SendAsync(Check(UserId, 1));

        Assert.True(own.Value.Ok);
        Assert.False(stranger.Value.Ok);
        Assert.False(wrongAmount.Value.Ok);
    }

    [Fact]
    public async Task A_payment_for_an_unknown_subscription_is_kept_for_support_as_not_found()
    {
        var unknown = await _harness.SendAsync(new ConfirmStarsPaymentRequest
        {
            UserId = UserId, InvoicePayload = "sub:" + Guid.NewGuid().ToString("N"), Currency = "XTR", TotalAmount = 270, TelegramPaymentChargeId = "charge-lost", IsRecurring = true,
        });

        Assert.Equal(ResultStatus.NotFound, unknown.Status);
        Assert.Contains("charge-lost", string.Join(" ", unknown.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_edits_a_plan_over_the_internal_api_and_the_next_subscription_gets_the_new_terms()
    {
        var admin = Principal.ForApiKey("test-admin", Options.V1.Role.Admin);
        var pro = (await _harness.SendAsync(new ListAllPlansRequest(), admin)).Value.Plans.Single(p => p.Id == "pro");
        pro.MonthlyCredits = 400;
        pro.PriceStars = 300;

        var upserted = await _harness.SendAsync(new UpsertPlanRequest { Plan = pro }, admin);
        var freeWithPrice = await _harness.SendAsync(new UpsertPlanRequest { Plan = new Plan { Id = "free", Title = new LocalizedText { Ru = "FREE", En = "FREE" }, PriceStars = 5, Active = true } }, admin);
        var subscription = await SubscribeAsync();

        Assert.True(upserted.IsSuccess, upserted.ToString());
        Assert.False(upserted.Value.Created);
        Assert.Equal(ResultStatus.Invalid, freeWithPrice.Status);
        Assert.Equal(400, subscription.Subscription.CreditsPerPeriod);
        Assert.Equal(300, subscription.Subscription.PriceStars);
    }
}
