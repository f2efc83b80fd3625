using System.Net;
using System.Text.Json.Nodes;
using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Background;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// Plans paid by card through the fake YooKassa (ADR 0152), over the public use cases the Mini App calls and the real
/// Billing: a period credited once whatever the notifications, automatic renewal only with the operator's setting and
/// the user's consent, the saved card charged once per period, a declined autopayment ending the plan with its period
/// and telling the user once, and cancel / resume of the renewal.
/// </summary>
public sealed class CardSubscriptionTests : IAsyncLifetime
{
    private const long UserId = 7001;
    private static readonly Principal User = Principal.ForUser(UserId);
    private PaymentsHarness _harness = null!;

    // Autopayments on, charged 7 days before a period ends; the tests move the end closer and run the renewals themselves.
    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(
        await TestPostgres.CreateDatabaseAsync(),
        extra: new Dictionary<string, string?>
        {
            ["Payments:YooKassa:Autopayments"] = "true",
            ["Payments:YooKassa:RenewBefore"] = "7.00:00:00",
            ["Payments:YooKassa:RenewalInterval"] = "01:00:00",
            ["Payments:RecheckDelay"] = "00:00:00",
        });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<CreateSubscriptionResponse> SubscribeByCardAsync(bool autoRenew, string plan = "pro")
    {
        var created = await _harness.SendAsync(new CreateSubscriptionRequest { PlanId = plan, Method = PaymentMethod.Yookassa, AutoRenew = autoRenew, Language = "en" }, User);
        Assert.True(created.IsSuccess, created.ToString());
        return created.Value;
    }

    private string PaymentOf(string orderId) =>
        _harness.YooKassa.Payments.Single(p => p["metadata"]!["order_id"]!.GetValue<string>() == orderId)["id"]!.GetValue<string>();

    private async Task PayAsync(CreateSubscriptionResponse created)
    {
        var paymentId = PaymentOf(created.OrderId);
        _harness.YooKassa.SetStatus(paymentId, "succeeded");
        var codes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => YooKassaTests.NotifyAsync(_harness.Host, YooKassaTests.Notification(paymentId))));
        Assert.All(codes, code => Assert.Equal(HttpStatusCode.OK, code));
    }

    private async Task<Subscription?> MineAsync() => (await _harness.SendAsync(new GetMySubscriptionRequest(), User)).Value.Subscription;

    private async Task<int> RenewAsync()
    {
        var renewals = _harness.Host.Services.GetServices<IHostedService>().OfType<CardRenewals>().Single();
        return await renewals.RunOnceAsync(CancellationToken.None);
    }

    private async Task<List<T>> OutboxAsync<T>(Google.Protobuf.MessageParser<T> parser, string type)
        where T : Google.Protobuf.IMessage<T>
    {
        await using var scope = _harness.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var payloads = await db.Database.SqlQuery<byte[]>($"SELECT payload AS \"Value\" FROM payments.outbox WHERE type = {type} ORDER BY id").ToListAsync();
        return [.. payloads.Select(parser.ParseFrom)];
    }

    private Task<List<PaymentSucceeded>> PeriodsAsync() => OutboxAsync(PaymentSucceeded.Parser, "nanobanana.payments.v1.PaymentSucceeded");

    private Task<List<SubscriptionRenewalFailed>> FailuresAsync() => OutboxAsync(SubscriptionRenewalFailed.Parser, "nanobanana.payments.v1.SubscriptionRenewalFailed");

    private IEnumerable<JsonNode> PaymentRequests() =>
        _harness.YooKassa.Requests.Where(r => r.Method == "POST" && r.Path == "/v3/payments").Select(r => JsonNode.Parse(r.Body)!);

    [Fact]
    public async Task A_card_period_is_credited_once_whatever_the_notifications_and_starts_the_plan_for_30_days()
    {
        var created = await SubscribeByCardAsync(autoRenew: false);

        var body = PaymentRequests().Single();
        Assert.Equal("299.00", body["amount"]!["value"]!.GetValue<string>());
        Assert.Equal("redirect", body["confirmation"]!["type"]!.GetValue<string>());
        Assert.Null(body["save_payment_method"]);
        Assert.StartsWith("https://yoomoney.ru/checkout/", created.CheckoutUrl);
        Assert.Equal(SubscriptionStatus.Pending, created.Subscription.Status);
        Assert.Null(await MineAsync());

        await PayAsync(created);

        var period = Assert.Single(await PeriodsAsync());
        Assert.Equal(created.OrderId, period.OrderId);
        Assert.Equal("pro", period.PlanId);
        Assert.Equal(350, period.Credits);
        Assert.Equal(29900, period.AmountMinor);
        Assert.InRange(period.PeriodEndsAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(30).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30).AddMinutes(5));
        var mine = (await MineAsync())!;
        Assert.Equal(PaymentMethod.Yookassa, mine.Method);
        Assert.Equal(29900, mine.PriceRubKopecks);
        Assert.Equal(period.PeriodEndsAt, mine.ExpiresAt);
        // No consent to renew: the period simply runs out, and there is nothing to switch back on.
        Assert.True(mine.Canceled);
        Assert.False(mine.CanResume);
        Assert.Equal(ResultStatus.Conflict, (await _harness.SendAsync(new ResumeMySubscriptionRequest(), User)).Status);
        Assert.Equal(0, await RenewAsync());
        Assert.Single(PaymentRequests());

        // Billing has the plan and the period's credits once.
        var plan = (await _harness.SendAsync(new GetUserPlanRequest { UserId = UserId })).Value;
        for (var i = 0; i < 100 && plan.PlanId != "pro"; i++)
        {
            await Task.Delay(50);
            plan = (await _harness.SendAsync(new GetUserPlanRequest { UserId = UserId })).Value;
        }

        Assert.Equal("pro", plan.PlanId);
        Assert.Equal(ResultStatus.Conflict, (await _harness.SendAsync(new CreateSubscriptionRequest { PlanId = "creator", Method = PaymentMethod.Yookassa }, User)).Status);
    }

    [Fact]
    public async Task With_consent_the_saved_card_renews_each_period_once_and_cancel_stops_it()
    {
        var created = await SubscribeByCardAsync(autoRenew: true);
        Assert.True(PaymentRequests().Single()["save_payment_method"]!.GetValue<bool>());
        await PayAsync(created);
        Assert.Equal(0, await RenewAsync());
        Assert.Single(PaymentRequests());
        await DueNowAsync();
        var first = (await MineAsync())!;
        Assert.True(first.AutoRenew);
        Assert.False(first.Canceled);

        Assert.Equal(0, await RenewAsync());
        var autopayment = PaymentRequests().Last();
        Assert.Equal("pm-" + PaymentOf(created.OrderId), autopayment["payment_method_id"]!.GetValue<string>());
        Assert.Null(autopayment["confirmation"]);
        Assert.Equal("299.00", autopayment["amount"]!["value"]!.GetValue<string>());
        var periods = await PeriodsAsync();
        Assert.Equal(2, periods.Count);
        Assert.Equal(first.ExpiresAt.ToDateTimeOffset().AddDays(30), periods[1].PeriodEndsAt.ToDateTimeOffset());
        var renewed = (await MineAsync())!;
        Assert.Equal(2, renewed.PeriodsPaid);
        Assert.Equal(periods[1].PeriodEndsAt, renewed.ExpiresAt);

        // The next period is not due yet (31 days left, RenewBefore 7): nothing is charged twice.
        Assert.Equal(0, await RenewAsync());
        Assert.Equal(2, PaymentRequests().Count());

        // Cancelled by the user: no autopayment even when due; resumed: renewals again.
        var cancelled = await _harness.SendAsync(new CancelMySubscriptionRequest(), User);
        Assert.True(cancelled.Value.Subscription.Canceled);
        Assert.True(cancelled.Value.Subscription.CanResume);
        await DueNowAsync();
        Assert.Equal(0, await RenewAsync());
        Assert.Equal(2, PaymentRequests().Count());
        Assert.False((await _harness.SendAsync(new ResumeMySubscriptionRequest(), User)).Value.Subscription.Canceled);
        await RenewAsync();
        Assert.Equal(3, (await PeriodsAsync()).Count);
    }

    [Theory]
    [InlineData("insufficient_funds", true)]
    [InlineData("permission_revoked", false)]
    public async Task A_declined_autopayment_ends_the_plan_with_its_period_tells_once_and_charges_no_more(string reason, bool cardKept)
    {
        var created = await SubscribeByCardAsync(autoRenew: true);
        await PayAsync(created);
        await DueNowAsync();
        var paid = (await MineAsync())!;
        _harness.YooKassa.DeclineAutopayments(reason);

        await RenewAsync();

        var failure = Assert.Single(await FailuresAsync());
        Assert.Equal(reason, failure.Reason);
        Assert.Equal(UserId, failure.UserId);
        Assert.Equal("pro", failure.PlanId);
        Assert.Equal(paid.ExpiresAt, failure.ExpiresAt);
        var mine = (await MineAsync())!;
        Assert.True(mine.RenewalFailed);
        Assert.True(mine.Canceled);
        Assert.Equal(reason, mine.FailureReason);
        Assert.Equal(paid.ExpiresAt, mine.ExpiresAt);
        Assert.Equal(cardKept, mine.CanResume);
        Assert.Single(await PeriodsAsync());

        // The declined payment's notification arrives too: nothing more is recorded or told, and nothing is tried again.
        var declined = _harness.YooKassa.Payments.Single(p => p["status"]!.GetValue<string>() == "canceled")["id"]!.GetValue<string>();
        await YooKassaTests.NotifyAsync(_harness.Host, YooKassaTests.Notification(declined, "payment.canceled"));
        await DueNowAsync();
        Assert.Equal(0, await RenewAsync());
        Assert.Single(await FailuresAsync());
        Assert.Equal(2, PaymentRequests().Count());
    }

    [Fact]
    public async Task Automatic_renewal_is_refused_when_the_operator_has_not_enabled_autopayments()
    {
        await using var harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync());

        var refused = await harness.SendAsync(new CreateSubscriptionRequest { PlanId = "pro", Method = PaymentMethod.Yookassa, AutoRenew = true }, User);
        var stars = await harness.SendAsync(new CreateSubscriptionRequest { PlanId = "pro", Method = PaymentMethod.Stars, AutoRenew = true }, User);
        var mine = (await harness.SendAsync(new GetMySubscriptionRequest(), User)).Value;

        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.Equal("auto_renew", refused.ValidationErrors.Single().Identifier);
        Assert.Equal(ResultStatus.Invalid, stars.Status);
        Assert.False(mine.Autopayments);
        Assert.Empty(harness.YooKassa.Requests);
        Assert.Equal(ResultStatus.Unauthorized, (await harness.SendAsync(new CreateSubscriptionRequest { PlanId = "pro", Method = PaymentMethod.Yookassa }, Principal.Anonymous)).Status);
    }

    /// <summary>The period is about to end (as if 29 days passed): inside RenewBefore, and checked again at once.</summary>
    private async Task DueNowAsync()
    {
        await using var scope = _harness.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        await db.Database.ExecuteSqlAsync($"UPDATE payments.subscriptions SET expires_at = date_trunc('second', now()) + interval '1 day', next_renewal_check_at = now() WHERE user_id = {UserId}");
    }
}
