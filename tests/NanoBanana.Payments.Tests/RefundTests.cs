using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>Top-ups credited by the real Billing module, and refunds taking them back.</summary>
public sealed class RefundTests : IAsyncLifetime
{
    private const long UserId = 3001;
    private static readonly Principal User = Principal.ForUser(UserId);
    private PaymentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<long> AvailableAsync() => (await _harness.SendAsync(new GetBalanceRequest(), User)).Value.Balance.Available;

    /// <summary>Bounded wait for the outbox → Billing credit; asserts on the balance reached, not on timing.</summary>
    private async Task<long> WaitForBalanceAsync(long expected)
    {
        var available = 0L;
        for (var i = 0; i < 200 && (available = await AvailableAsync()) != expected; i++)
        {
            await Task.Delay(50);
        }

        return available;
    }

    private async Task<TopUp> PaidSandboxOrderAsync(string package)
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = package, Method = PaymentMethod.Sandbox }, User);
        return (await _harness.SendAsync(new ConfirmSandboxPaymentRequest { OrderId = created.Value.TopUp.OrderId })).Value.TopUp;
    }

    [Fact]
    public async Task A_paid_order_is_credited_once_by_billing_even_when_confirmed_repeatedly()
    {
        var order = await PaidSandboxOrderAsync("pack-200");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _harness.SendAsync(new ConfirmSandboxPaymentRequest { OrderId = order.OrderId })));

        Assert.Equal(210, await WaitForBalanceAsync(210));
        await Task.Delay(300);
        Assert.Equal(210, await AvailableAsync());
    }

    [Fact]
    public async Task Refunding_unspent_credits_debits_them_and_marks_the_order_refunded()
    {
        var order = await PaidSandboxOrderAsync("pack-100");
        Assert.Equal(100, await WaitForBalanceAsync(100));

        var refund = await _harness.SendAsync(new RefundPaymentRequest { OrderId = order.OrderId, Reason = "asked by the user" });
        var again = await _harness.SendAsync(new RefundPaymentRequest { OrderId = order.OrderId });

        Assert.True(refund.IsSuccess, refund.ToString());
        Assert.Equal((10000L, 100L, TopUpStatus.Refunded), (refund.Value.RefundedMinor, refund.Value.DebitedCredits, refund.Value.TopUp.Status));
        Assert.Equal(0, await AvailableAsync());
        Assert.Equal(ResultStatus.Conflict, again.Status);
    }

    [Fact]
    public async Task Refunding_spent_credits_is_refused_with_the_reason_and_changes_nothing()
    {
        var order = await PaidSandboxOrderAsync("pack-100");
        Assert.Equal(100, await WaitForBalanceAsync(100));
        var hold = await _harness.SendAsync(new ReserveRequest { UserId = UserId, Amount = 60, IdempotencyKey = "gen-1", Purpose = "generation", Reference = "job-1" });
        await _harness.SendAsync(new CaptureRequest { HoldId = hold.Value.HoldId });

        var refund = await _harness.SendAsync(new RefundPaymentRequest { OrderId = order.OrderId });

        Assert.Equal(ResultStatus.Conflict, refund.Status);
        Assert.Contains("already spent", refund.Errors.Single());
        Assert.Equal(40, await AvailableAsync());
        Assert.Equal(TopUpStatus.Succeeded, (await _harness.OrderAsync(order.OrderId)).Status);
    }

    [Fact]
    public async Task A_partial_refund_takes_back_credits_in_proportion()
    {
        var order = await PaidSandboxOrderAsync("pack-200");
        Assert.Equal(210, await WaitForBalanceAsync(210));

        var half = await _harness.SendAsync(new RefundPaymentRequest { OrderId = order.OrderId, AmountMinor = 10000 });
        var rest = await _harness.SendAsync(new RefundPaymentRequest { OrderId = order.OrderId });

        Assert.Equal((105L, TopUpStatus.PartiallyRefunded), (half.Value.DebitedCredits, half.Value.TopUp.Status));
        Assert.Equal((105L, TopUpStatus.Refunded), (rest.Value.DebitedCredits, rest.Value.TopUp.Status));
        Assert.Equal(0, await AvailableAsync());
    }

    [Fact]
    public async Task A_stars_refund_calls_refundStarPayment_then_debits()
    {
        var bot = await _harness.SendAsync(new CreateBotTopUpRequest { UserId = UserId, PackageId = "pack-100", Method = PaymentMethod.Stars });
        var invoice = bot.Value.Invoice;
        await _harness.SendAsync(new ConfirmStarsPaymentRequest { UserId = UserId, InvoicePayload = invoice.Payload, Currency = "XTR", TotalAmount = invoice.Amount, TelegramPaymentChargeId = "stxCharge1" });
        Assert.Equal(100, await WaitForBalanceAsync(100));
        _harness.Telegram.RefundableCharges["stxCharge1"] = true;

        var refund = await _harness.SendAsync(new RefundPaymentRequest { OrderId = bot.Value.TopUp.OrderId });

        Assert.True(refund.IsSuccess, refund.ToString());
        var call = Assert.Single(_harness.Telegram.Calls, c => c.Method == "refundStarPayment");
        Assert.Equal(UserId, call.Body["user_id"]!.GetValue<long>());
        Assert.Equal("stxCharge1", call.Body["telegram_payment_charge_id"]!.GetValue<string>());
        Assert.Equal(0, await AvailableAsync());
    }

    [Fact]
    public async Task A_provider_refusal_gives_the_credits_back()
    {
        var bot = await _harness.SendAsync(new CreateBotTopUpRequest { UserId = UserId, PackageId = "pack-100", Method = PaymentMethod.Stars });
        var invoice = bot.Value.Invoice;
        await _harness.SendAsync(new ConfirmStarsPaymentRequest { UserId = UserId, InvoicePayload = invoice.Payload, Currency = "XTR", TotalAmount = invoice.Amount, TelegramPaymentChargeId = "stxUnknown" });
        Assert.Equal(100, await WaitForBalanceAsync(100));

        var refund = await _harness.SendAsync(new RefundPaymentRequest { OrderId = bot.Value.TopUp.OrderId });

        Assert.Equal(ResultStatus.Unavailable, refund.Status);
        Assert.Contains("CHARGE_NOT_FOUND", refund.Errors.Single());
        Assert.Equal(100, await AvailableAsync());
        Assert.Equal(TopUpStatus.Succeeded, (await _harness.OrderAsync(bot.Value.TopUp.OrderId)).Status);
    }

    [Fact]
    public async Task A_yookassa_refund_posts_to_v3_refunds_with_its_own_idempotence_key()
    {
        var created = await _harness.SendAsync(new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Yookassa }, User);
        var paymentId = _harness.YooKassa.Payments.Single()["id"]!.GetValue<string>();
        _harness.YooKassa.SetStatus(paymentId, "succeeded");
        using var http = _harness.Host.CreateHttpClient();
        using var notification = new HttpRequestMessage(HttpMethod.Post, "/payments/yookassa/notifications")
        {
            Content = new StringContent("{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\"" + paymentId + "\"}}"),
        };
        notification.Headers.Add("X-Forwarded-For", "185.71.77.1");
        await http.SendAsync(notification);
        Assert.Equal(100, await WaitForBalanceAsync(100));

        var refund = await _harness.SendAsync(new RefundPaymentRequest { OrderId = created.Value.TopUp.OrderId, AmountMinor = 5000 });

        Assert.True(refund.IsSuccess, refund.ToString());
        var post = Assert.Single(_harness.YooKassa.Requests, r => r.Path == "/v3/refunds");
        Assert.NotEqual(created.Value.TopUp.OrderId, post.IdempotenceKey);
        Assert.Contains("\"50.00\"", post.Body);
        Assert.Equal(50, await AvailableAsync());
    }
}
