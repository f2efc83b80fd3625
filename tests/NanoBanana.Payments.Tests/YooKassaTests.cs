using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ardalis.Result;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Background;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

public sealed class YooKassaTests : IAsyncLifetime
{
    private static readonly Principal Alice = Principal.ForUser(1001);
    private PaymentsHarness _harness = null!;

    // A database per test: the counts below are absolute.
    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<(TopUp Order, string PaymentId)> StartCardTopUpAsync(string package = "pack-200")
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = package, Method = PaymentMethod.Yookassa }, Alice);
        Assert.True(created.IsSuccess, created.ToString());
        var payment = _harness.YooKassa.Payments.Single(p => p["metadata"]!["order_id"]!.GetValue<string>() == created.Value.TopUp.OrderId);
        return (created.Value.TopUp, payment["id"]!.GetValue<string>());
    }

    internal static StringContent Notification(string paymentId, string evt = "payment.succeeded") =>
        new(new JsonObject
        {
            ["type"] = "notification",
            ["event"] = evt,
            ["object"] = new JsonObject { ["id"] = paymentId, ["status"] = "succeeded", ["paid"] = true, ["amount"] = new JsonObject { ["value"] = "200.00", ["currency"] = "RUB" } },
        }.ToJsonString(), Encoding.UTF8, "application/json");

    internal static async Task<HttpStatusCode> NotifyAsync(TestHost host, HttpContent content, string? forwardedFor = "185.71.76.10")
    {
        using var http = host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/yookassa/notifications") { Content = content };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Create_sends_basic_auth_the_order_id_as_idempotence_key_and_returns_the_confirmation_url()
    {
        var (order, paymentId) = await StartCardTopUpAsync();

        var create = _harness.YooKassa.Requests.Single(r => r.Method == "POST" && r.Path == "/v3/payments");
        Assert.Equal(order.OrderId, create.IdempotenceKey);
        var body = JsonNode.Parse(create.Body)!;
        Assert.Equal("200.00", body["amount"]!["value"]!.GetValue<string>());
        Assert.Equal("RUB", body["amount"]!["currency"]!.GetValue<string>());
        Assert.True(body["capture"]!.GetValue<bool>());
        Assert.Equal("redirect", body["confirmation"]!["type"]!.GetValue<string>());
        Assert.Null(body["receipt"]);
        Assert.Equal(TopUpStatus.Pending, order.Status);
        Assert.Equal(20000, order.AmountMinor);
        Assert.Equal($"https://yoomoney.ru/checkout/payments/v2/contract?orderId={paymentId}", order.CheckoutUrl);
    }

    [Fact]
    public async Task Embedded_confirmation_returns_the_widget_token()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa, Embedded = true }, Alice);

        Assert.StartsWith("ct-", created.Value.ConfirmationToken);
    }

    [Fact]
    public async Task A_429_and_a_500_are_retried_with_the_same_idempotence_key()
    {
        _harness.YooKassa.FailNext(429);
        _harness.YooKassa.FailNext(500);

        var (order, _) = await StartCardTopUpAsync();

        var keys = _harness.YooKassa.Requests.Where(r => r.Path == "/v3/payments").Select(r => r.IdempotenceKey).ToList();
        Assert.Equal([order.OrderId, order.OrderId, order.OrderId], keys);
        Assert.Single(_harness.YooKassa.Payments);
    }

    [Fact]
    public async Task Provider_down_after_every_attempt_cancels_the_order_and_says_unavailable()
    {
        _harness.YooKassa.FailNext(500, times: 3);

        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);

        Assert.Equal(ResultStatus.Unavailable, created.Status);
        Assert.Equal(3, _harness.YooKassa.Requests.Count(r => r.Path == "/v3/payments"));
        var mine = await _harness.SendAsync(new ListMyTopUpsRequest(), Alice);
        Assert.Equal(TopUpStatus.Cancelled, mine.Value.TopUps.Single().Status);
    }

    [Fact]
    public async Task Same_idempotence_key_with_other_data_is_refused_by_the_fake_as_by_yookassa()
    {
        using var http = new HttpClient();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeYooKassa.ShopId}:{FakeYooKassa.SecretKey}"));
        async Task<(HttpStatusCode, string)> PostAsync(string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_harness.YooKassa.ApiBase, "payments"))
            {
                Content = new StringContent($$$"""{"amount":{"value":"{{{value}}}","currency":"RUB"},"capture":true,"confirmation":{"type":"redirect","return_url":"https://x"}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Authorization", "Basic " + auth);
            request.Headers.Add("Idempotence-Key", "key-1");
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var first = await PostAsync("1.00");
        var replay = await PostAsync("1.00");
        var other = await PostAsync("2.00");

        Assert.Equal(HttpStatusCode.OK, first.Item1);
        Assert.Equal(first.Item2, replay.Item2);
        Assert.Equal(HttpStatusCode.BadRequest, other.Item1);
        Assert.Contains("Idempotence key duplicated", other.Item2);
    }

    [Fact]
    public async Task Wrong_credentials_give_401_which_is_not_retried()
    {
        await using var harness = await PaymentsHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            extra: new Dictionary<string, string?> { ["Payments:YooKassa:SecretKey"] = "wrong" });

        var created = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);

        Assert.Equal(ResultStatus.Unavailable, created.Status);
        Assert.Single(harness.YooKassa.Requests);
    }

    [Fact]
    public async Task Receipts_when_configured_carry_the_customer_and_vat_code()
    {
        await using var harness = await PaymentsHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            extra: new Dictionary<string, string?> { ["Payments:YooKassa:Receipt:Enabled"] = "true", ["Payments:YooKassa:Receipt:VatCode"] = "1" });

        var missing = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);
        var created = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa, ReceiptEmail = "a@example.com" }, Alice);

        Assert.Equal(ResultStatus.Invalid, missing.Status);
        Assert.True(created.IsSuccess);
        var receipt = JsonNode.Parse(harness.YooKassa.Requests.Single().Body)!["receipt"]!;
        Assert.Equal("a@example.com", receipt["customer"]!["email"]!.GetValue<string>());
        Assert.Equal(1, receipt["items"]![0]!["vat_code"]!.GetValue<int>());
        Assert.Equal("100.00", receipt["items"]![0]!["amount"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Three_sequential_notifications_credit_once()
    {
        var (order, paymentId) = await StartCardTopUpAsync();
        _harness.YooKassa.SetStatus(paymentId, "succeeded");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await NotifyAsync(_harness.Host, Notification(paymentId)));
        }

        Assert.Equal(1, await _harness.SucceededEventsAsync(order.OrderId));
        var settled = await _harness.OrderAsync(order.OrderId);
        Assert.Equal(TopUpStatus.Succeeded, settled.Status);
        Assert.Equal(3, await _harness.NotificationsAsync());
    }

    [Fact]
    public async Task A_hundred_concurrent_notifications_across_two_hosts_credit_once()
    {
        await using var harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync(), hosts: 2);
        var created = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-300", Method = PaymentMethod.Yookassa }, Alice);
        var paymentId = harness.YooKassa.Payments.Single()["id"]!.GetValue<string>();
        harness.YooKassa.SetStatus(paymentId, "succeeded");

        var codes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => NotifyAsync(harness.Hosts[i % 2], Notification(paymentId))));

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
        Assert.Equal(1, await harness.SucceededEventsAsync(created.Value.TopUp.OrderId));
        Assert.Equal(100, await harness.NotificationsAsync());
    }

    [Fact]
    public async Task A_notification_from_outside_the_allow_list_credits_nothing()
    {
        var (order, paymentId) = await StartCardTopUpAsync();
        _harness.YooKassa.SetStatus(paymentId, "succeeded");

        Assert.Equal(HttpStatusCode.Forbidden, await NotifyAsync(_harness.Host, Notification(paymentId), forwardedFor: "8.8.8.8"));
        // The proxy appends the real source last; a client-supplied allowed address before it changes nothing.
        Assert.Equal(HttpStatusCode.Forbidden, await NotifyAsync(_harness.Host, Notification(paymentId), forwardedFor: "185.71.76.10, 8.8.8.8"));

        Assert.Equal(0, await _harness.SucceededEventsAsync(order.OrderId));
        Assert.Equal(0, await _harness.NotificationsAsync());
        Assert.Equal(TopUpStatus.Pending, (await _harness.OrderAsync(order.OrderId)).Status);
    }

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        await using var harness = await PaymentsHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            extra: new Dictionary<string, string?> { ["Payments:YooKassa:TrustedProxies:0"] = "10.0.0.1" });
        await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);
        var paymentId = harness.YooKassa.Payments.Single()["id"]!.GetValue<string>();
        harness.YooKassa.SetStatus(paymentId, "succeeded");

        Assert.Equal(HttpStatusCode.Forbidden, await NotifyAsync(harness.Host, Notification(paymentId), forwardedFor: "185.71.76.10"));
    }

    [Fact]
    public async Task A_notification_whose_refetch_says_pending_credits_nothing()
    {
        var (order, paymentId) = await StartCardTopUpAsync();

        // The body claims success; YooKassa's API says pending — only the API counts.
        Assert.Equal(HttpStatusCode.OK, await NotifyAsync(_harness.Host, Notification(paymentId)));

        Assert.Equal(0, await _harness.SucceededEventsAsync(order.OrderId));
        Assert.Equal(TopUpStatus.Pending, (await _harness.OrderAsync(order.OrderId)).Status);
    }

    [Fact]
    public async Task A_notification_whose_refetch_says_canceled_cancels_and_credits_nothing()
    {
        var (order, paymentId) = await StartCardTopUpAsync();
        _harness.YooKassa.SetStatus(paymentId, "canceled");

        Assert.Equal(HttpStatusCode.OK, await NotifyAsync(_harness.Host, Notification(paymentId)));

        Assert.Equal(0, await _harness.SucceededEventsAsync(order.OrderId));
        Assert.Equal(TopUpStatus.Cancelled, (await _harness.OrderAsync(order.OrderId)).Status);
    }

    [Fact]
    public async Task A_paid_amount_that_differs_from_the_order_credits_nothing()
    {
        var (order, _) = await StartCardTopUpAsync();
        _harness.YooKassa.Put("foreign-1", "succeeded", "1.00", order.OrderId);

        Assert.Equal(HttpStatusCode.OK, await NotifyAsync(_harness.Host, Notification("foreign-1")));

        Assert.Equal(0, await _harness.SucceededEventsAsync(order.OrderId));
    }

    [Fact]
    public async Task Unknown_payment_ids_are_recorded_and_answered_200()
    {
        Assert.Equal(HttpStatusCode.OK, await NotifyAsync(_harness.Host, Notification("no-such-payment")));

        Assert.Equal(1, await _harness.NotificationsAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"notification\",\"event\":\"payment.succeeded\"}")]
    [InlineData("{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":42}}")]
    [InlineData("[1,2,3]")]
    public async Task A_malformed_notification_is_400_and_nothing_is_stored(string body)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await NotifyAsync(_harness.Host, new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Equal(0, await _harness.NotificationsAsync());
    }

    [Fact]
    public async Task A_lost_notification_is_credited_by_reconciliation_and_stale_orders_expire()
    {
        await using var harness = await PaymentsHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            extra: new Dictionary<string, string?> { ["Payments:ReconcileAfter"] = "00:00:00" });
        var paid = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);
        harness.YooKassa.SetStatus(harness.YooKassa.Payments.Single()["id"]!.GetValue<string>(), "succeeded");
        var reconciler = harness.Host.Services.GetServices<IHostedService>().OfType<PendingOrdersReconciler>().Single();

        await reconciler.RunOnceAsync(CancellationToken.None);
        await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, await harness.SucceededEventsAsync(paid.Value.TopUp.OrderId));
        Assert.Equal(TopUpStatus.Succeeded, (await harness.OrderAsync(paid.Value.TopUp.OrderId)).Status);
    }

    [Fact]
    public async Task Orders_past_their_lifetime_are_cancelled_by_reconciliation()
    {
        await using var harness = await PaymentsHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            extra: new Dictionary<string, string?> { ["Payments:OrderLifetime"] = "00:00:00" });
        var sandbox = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Sandbox }, Alice);
        var card = await harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);
        var reconciler = harness.Host.Services.GetServices<IHostedService>().OfType<PendingOrdersReconciler>().Single();

        await reconciler.RunOnceAsync(CancellationToken.None);

        Assert.Equal(TopUpStatus.Cancelled, (await harness.OrderAsync(sandbox.Value.TopUp.OrderId)).Status);
        Assert.Equal(TopUpStatus.Cancelled, (await harness.OrderAsync(card.Value.TopUp.OrderId)).Status);

        // The payer finished on YooKassa's page after all: the money is real, so the order is credited.
        harness.YooKassa.SetStatus(harness.YooKassa.Payments.Single()["id"]!.GetValue<string>(), "succeeded");
        Assert.Equal(HttpStatusCode.OK, await NotifyAsync(harness.Host, Notification(harness.YooKassa.Payments.Single()["id"]!.GetValue<string>())));
        Assert.Equal(1, await harness.SucceededEventsAsync(card.Value.TopUp.OrderId));
    }
}
