using System.Net;
using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

public sealed class StarsAndSandboxTests : IAsyncLifetime
{
    private static readonly Principal Alice = Principal.ForUser(2001);
    private PaymentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<CreateBotTopUpResponse> BotStarsOrderAsync(long userId = 2001, string package = "pack-100")
    {
        var created = await _harness.SendAsync(new CreateBotTopUpRequest { UserId = userId, PackageId = package, Method = PaymentMethod.Stars, Language = "en" });
        Assert.True(created.IsSuccess, created.ToString());
        return created.Value;
    }

    private static ConfirmStarsPaymentRequest Paid(StarsInvoice invoice, string charge, long userId = 2001) => new()
    {
        UserId = userId,
        InvoicePayload = invoice.Payload,
        Currency = invoice.Currency,
        TotalAmount = invoice.Amount,
        TelegramPaymentChargeId = charge,
        ProviderPaymentChargeId = string.Empty,
    };

    [Fact]
    public async Task The_bot_gets_sendInvoice_parameters_in_XTR_with_one_price()
    {
        var order = await BotStarsOrderAsync();

        Assert.Equal("XTR", order.Invoice.Currency);
        Assert.Equal(90, order.Invoice.Amount);
        Assert.Equal("100 credits", order.Invoice.Title);
        Assert.Equal(Guid.Parse(order.TopUp.OrderId), Guid.Parse(order.Invoice.Payload));
        Assert.Empty(_harness.Telegram.Calls);
    }

    [Fact]
    public async Task The_mini_app_gets_an_invoice_link_from_createInvoiceLink()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-200", Method = PaymentMethod.Stars, Language = "ru" }, Alice);

        var call = Assert.Single(_harness.Telegram.Calls);
        Assert.Equal("createInvoiceLink", call.Method);
        Assert.Equal("XTR", call.Body["currency"]!.GetValue<string>());
        Assert.Equal(180, call.Body["prices"]![0]!["amount"]!.GetValue<long>());
        Assert.Equal("200 кредитов + 10 бонусных", call.Body["title"]!.GetValue<string>());
        Assert.StartsWith("https://t.me/$", created.Value.CheckoutUrl);
    }

    [Fact]
    public async Task Anonymous_callers_cannot_create_top_ups()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Stars }, Principal.Anonymous);

        Assert.Equal(ResultStatus.Unauthorized, created.Status);
    }

    [Fact]
    public async Task Unknown_packages_and_missing_methods_are_refused()
    {
        var unknown = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-999", Method = PaymentMethod.Sandbox }, Alice);
        var noMethod = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100" }, Alice);

        Assert.Equal(ResultStatus.NotFound, unknown.Status);
        Assert.Equal(ResultStatus.Invalid, noMethod.Status);
        Assert.Contains(noMethod.ValidationErrors, e => e.Identifier == "method");
    }

    [Fact]
    public async Task Pre_checkout_accepts_the_right_order_and_refuses_wrong_amount_foreign_user_and_unknown_payload()
    {
        var order = await BotStarsOrderAsync();
        var request = new ValidatePreCheckoutRequest { UserId = 2001, InvoicePayload = order.Invoice.Payload, Currency = "XTR", TotalAmount = 90, Language = "en" };

        var ok = await _harness.SendAsync(request);
        var wrongAmount = await _harness.SendAsync(new ValidatePreCheckoutRequest(request) { TotalAmount = 1 });
        var foreign = await _harness.SendAsync(new ValidatePreCheckoutRequest(request) { UserId = 6666 });
        var unknown = await _harness.SendAsync(new ValidatePreCheckoutRequest(request) { InvoicePayload = "something-else", Language = "ru" });

        Assert.True(ok.Value.Ok);
        Assert.False(wrongAmount.Value.Ok);
        Assert.Contains("amount", wrongAmount.Value.ErrorMessage);
        Assert.False(foreign.Value.Ok);
        Assert.Contains("another user", foreign.Value.ErrorMessage);
        Assert.False(unknown.Value.Ok);
        Assert.Contains("не найден", unknown.Value.ErrorMessage);
    }

    [Fact]
    public async Task Pre_checkout_refuses_a_paid_order()
    {
        var order = await BotStarsOrderAsync();
        await _harness.SendAsync(Paid(order.Invoice, "charge-paid"));

        var again = await _harness.SendAsync(new ValidatePreCheckoutRequest { UserId = 2001, InvoicePayload = order.Invoice.Payload, Currency = "XTR", TotalAmount = 90 });

        Assert.False(again.Value.Ok);
    }

    [Fact]
    public async Task A_duplicate_successful_payment_credits_once()
    {
        var order = await BotStarsOrderAsync();

        var first = await _harness.SendAsync(Paid(order.Invoice, "charge-1"));
        var second = await _harness.SendAsync(Paid(order.Invoice, "charge-1"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _harness.SendAsync(Paid(order.Invoice, "charge-1"))));

        Assert.True(first.Value.NewlyConfirmed);
        Assert.False(second.Value.NewlyConfirmed);
        Assert.All(concurrent, r => Assert.False(r.Value.NewlyConfirmed));
        Assert.Equal(TopUpStatus.Succeeded, first.Value.TopUp.Status);
        Assert.Equal(1, await _harness.SucceededEventsAsync(order.TopUp.OrderId));
    }

    [Fact]
    public async Task Concurrent_first_deliveries_of_one_charge_credit_once()
    {
        var order = await BotStarsOrderAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _harness.SendAsync(Paid(order.Invoice, "charge-race"))));

        Assert.Single(results, r => r.Value.NewlyConfirmed);
        Assert.Equal(1, await _harness.SucceededEventsAsync(order.TopUp.OrderId));
    }

    [Fact]
    public async Task An_old_invoice_paid_again_with_a_new_charge_is_credited_as_a_repeat_order()
    {
        var order = await BotStarsOrderAsync();
        await _harness.SendAsync(Paid(order.Invoice, "charge-a"));

        var repeat = await _harness.SendAsync(Paid(order.Invoice, "charge-b"));

        Assert.True(repeat.Value.NewlyConfirmed);
        Assert.NotEqual(order.TopUp.OrderId, repeat.Value.TopUp.OrderId);
        Assert.Equal(1, await _harness.SucceededEventsAsync(order.TopUp.OrderId));
        Assert.Equal(1, await _harness.SucceededEventsAsync(repeat.Value.TopUp.OrderId));
    }

    [Fact]
    public async Task A_successful_payment_for_a_foreign_order_is_not_credited()
    {
        var order = await BotStarsOrderAsync();

        var result = await _harness.SendAsync(Paid(order.Invoice, "charge-x", userId: 7777));

        Assert.Equal(ResultStatus.NotFound, result.Status);
        Assert.Equal(0, await _harness.SucceededEventsAsync(order.TopUp.OrderId));
    }

    [Fact]
    public async Task Sandbox_page_pays_once_and_the_event_reaches_subscribers_once()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-300", Method = PaymentMethod.Sandbox }, Alice);
        var orderId = created.Value.TopUp.OrderId;
        using var http = _harness.Host.CreateHttpClient();

        var page = await http.GetStringAsync(created.Value.CheckoutUrl);
        var pay1 = await http.PostAsync($"/payments/sandbox/{orderId}/pay", null);
        var pay2 = await http.PostAsync($"/payments/sandbox/{orderId}/pay", null);
        var cancel = await http.PostAsync($"/payments/sandbox/{orderId}/cancel", null);

        Assert.Contains("id=\"pay\"", page);
        Assert.Equal(HttpStatusCode.OK, pay1.StatusCode);
        Assert.Contains("Succeeded", await pay2.Content.ReadAsStringAsync());
        Assert.Contains("already paid", await cancel.Content.ReadAsStringAsync());
        Assert.Equal(1, await _harness.SucceededEventsAsync(orderId));
        var delivered = await WaitForDeliveryAsync(orderId);
        Assert.Equal(330, delivered.Credits + delivered.BonusCredits);
        Assert.Equal(30000, delivered.AmountMinor);
        Assert.Equal(PaymentMethod.Sandbox, delivered.Method);
    }

    [Fact]
    public async Task A_cancelled_sandbox_order_cannot_be_paid()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Sandbox }, Alice);

        var cancelled = await _harness.SendAsync(new CancelSandboxPaymentRequest { OrderId = created.Value.TopUp.OrderId });
        var paid = await _harness.SendAsync(new ConfirmSandboxPaymentRequest { OrderId = created.Value.TopUp.OrderId });

        Assert.Equal(TopUpStatus.Cancelled, cancelled.Value.TopUp.Status);
        Assert.Equal(ResultStatus.Conflict, paid.Status);
        Assert.Equal(0, await _harness.SucceededEventsAsync(created.Value.TopUp.OrderId));
    }

    [Fact]
    public async Task Watch_streams_the_pending_order_then_its_settlement()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Sandbox }, Alice);
        var orderId = created.Value.TopUp.OrderId;
        var stream = await _harness.StreamAsync(new WatchTopUpRequest { OrderId = orderId }, Alice);
        var seen = new List<TopUpStatus>();

        await foreach (var update in stream.Value)
        {
            seen.Add(update.TopUp.Status);
            if (seen.Count == 1)
            {
                await _harness.SendAsync(new ConfirmSandboxPaymentRequest { OrderId = orderId });
            }
        }

        Assert.Equal([TopUpStatus.Pending, TopUpStatus.Succeeded], seen);
    }

    [Fact]
    public async Task Users_see_only_their_own_orders()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Sandbox }, Alice);

        var mine = await _harness.SendAsync(new GetTopUpRequest { OrderId = created.Value.TopUp.OrderId }, Alice);
        var theirs = await _harness.SendAsync(new GetTopUpRequest { OrderId = created.Value.TopUp.OrderId }, Principal.ForUser(9));
        var watchTheirs = await _harness.StreamAsync(new WatchTopUpRequest { OrderId = created.Value.TopUp.OrderId }, Principal.ForUser(9));

        Assert.True(mine.IsSuccess);
        Assert.Equal(ResultStatus.NotFound, theirs.Status);
        Assert.Equal(ResultStatus.NotFound, watchTheirs.Status);
    }

    [Fact]
    public async Task Revenue_report_sums_gross_fee_tax_and_net_per_method()
    {
        var card = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, Alice);
        var paymentId = _harness.YooKassa.Payments.Single()["id"]!.GetValue<string>();
        _harness.YooKassa.SetStatus(paymentId, "succeeded");
        using var http = _harness.Host.CreateHttpClient();
        using var notification = new HttpRequestMessage(HttpMethod.Post, "/payments/yookassa/notifications")
        {
            Content = new StringContent($$$"""{"type":"notification","event":"payment.succeeded","object":{"id":"{{{paymentId}}}"}}"""),
        };
        notification.Headers.Add("X-Forwarded-For", "77.75.156.11");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(notification)).StatusCode);
        var stars = await BotStarsOrderAsync();
        await _harness.SendAsync(Paid(stars.Invoice, "charge-r"));

        var report = await _harness.SendAsync(new GetRevenueReportRequest());

        var rub = report.Value.Rows.Single(r => r.Method == PaymentMethod.Yookassa);
        Assert.Equal(("RUB", 1L, 10000L, 280L, 400L, 9320L), (rub.Currency, rub.Orders, rub.GrossMinor, rub.ProviderFeeMinor, rub.TaxMinor, rub.NetMinor));
        var xtr = report.Value.Rows.Single(r => r.Method == PaymentMethod.Stars);
        Assert.Equal(("XTR", 90L, 90L), (xtr.Currency, xtr.GrossMinor, xtr.NetMinor));
        Assert.Equal(TopUpStatus.Succeeded, (await _harness.OrderAsync(card.Value.TopUp.OrderId)).Status);
    }

    [Fact]
    public async Task Payment_stats_sum_paid_orders_per_method_and_count_the_open_ones()
    {
        var stars = await BotStarsOrderAsync();
        await _harness.SendAsync(Paid(stars.Invoice, "charge-s"));
        var sandbox = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-200", Method = PaymentMethod.Sandbox }, Alice);
        await _harness.SendAsync(new ConfirmSandboxPaymentRequest { OrderId = sandbox.Value.TopUp.OrderId });
        await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Sandbox }, Alice);

        var stats = await _harness.SendAsync(new GetPaymentStatsRequest { Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) });
        var later = await _harness.SendAsync(new GetPaymentStatsRequest { Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)) });
        var missing = await _harness.SendAsync(new GetPaymentStatsRequest());

        var xtr = stats.Value.Totals.Single(t => t.Method == PaymentMethod.Stars);
        Assert.Equal(("XTR", 1L, 90L), (xtr.Currency, xtr.Orders, xtr.GrossMinor));
        var rub = stats.Value.Totals.Single(t => t.Method == PaymentMethod.Sandbox);
        Assert.Equal(("RUB", 1L, sandbox.Value.TopUp.AmountMinor, sandbox.Value.TopUp.Credits + sandbox.Value.TopUp.BonusCredits), (rub.Currency, rub.Orders, rub.GrossMinor, rub.Credits));
        Assert.Equal(1L, stats.Value.PendingOrders);
        Assert.Empty(later.Value.Totals);
        Assert.Equal(ResultStatus.Invalid, missing.Status);
    }

    [Fact]
    public async Task Support_requests_are_stored_and_listed_newest_first()
    {
        await _harness.SendAsync(new CreateSupportRequestRequest { UserId = 2001, Text = "First" });
        await _harness.SendAsync(new CreateSupportRequestRequest { UserId = 2002, Text = "Paid but no credits", OrderId = Guid.NewGuid().ToString() });
        var empty = await _harness.SendAsync(new CreateSupportRequestRequest { UserId = 2001, Text = "   " });

        var list = await _harness.SendAsync(new ListSupportRequestsRequest());

        Assert.Equal(ResultStatus.Invalid, empty.Status);
        Assert.Equal(["Paid but no credits", "First"], list.Value.Requests.Select(r => r.Text));
    }

    private async Task<PaymentSucceeded> WaitForDeliveryAsync(string orderId)
    {
        // Bounded wait for the background dispatcher; the assertion is on what arrives, not on when.
        for (var i = 0; i < 200; i++)
        {
            var matching = _harness.Delivered.Events.Where(e => e.Event.OrderId == orderId).ToList();
            if (matching.Count > 0)
            {
                await Task.Delay(200);
                return Assert.Single(_harness.Delivered.Events, e => e.Event.OrderId == orderId).Event;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"PaymentSucceeded for {orderId} was never delivered.");
    }
}
