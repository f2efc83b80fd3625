using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;

namespace NanoBanana.Telegram.Tests;

public sealed class PaymentsAndWebhookTests : PlaygroundTest
{
    private const long Bob = 7_000_000_002;

    [Fact]
    public async Task Stars_invoice_paid_after_pre_checkout_credits_via_successful_payment_and_refunds()
    {
        await UserSays(Bob, "/topup");
        await DrainUpdates(1);
        var invoice = await Bot.SendInvoice(Bob, "250 credits", "Top up 250 credits", "topup:pack_250:1", "XTR", [new LabeledPrice("250 credits", 250)]);
        var starsBefore = (int)(await Transcript(Bob))["user"]!["stars"]!;

        var payment = Post($"/api/chats/{Bob}/payments", new { message_id = invoice.Id });
        var checkout = Assert.Single(await DrainUpdates(1)).PreCheckoutQuery!;
        await Bot.AnswerPreCheckoutQuery(checkout.Id);
        var outcome = await payment;
        var paid = Assert.Single(await DrainUpdates(1)).Message!.SuccessfulPayment!;

        Assert.Equal(250, invoice.Invoice!.TotalAmount);
        Assert.Equal(("XTR", 250, "topup:pack_250:1"), (checkout.Currency, checkout.TotalAmount, checkout.InvoicePayload));
        Assert.Equal("paid", (string?)outcome["status"]);
        Assert.Equal((string?)outcome["telegram_payment_charge_id"], paid.TelegramPaymentChargeId);
        Assert.Equal("topup:pack_250:1", paid.InvoicePayload);
        Assert.Equal(starsBefore - 250, (int)(await Transcript(Bob))["user"]!["stars"]!);

        await Bot.RefundStarPayment(Bob, paid.TelegramPaymentChargeId);
        var refunded = Assert.Single(await DrainUpdates(1)).Message!.RefundedPayment!;
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.RefundStarPayment(Bob, paid.TelegramPaymentChargeId));

        Assert.Equal(paid.TelegramPaymentChargeId, refunded.TelegramPaymentChargeId);
        Assert.Equal(starsBefore, (int)(await Transcript(Bob))["user"]!["stars"]!);
        Assert.Equal("Bad Request: CHARGE_ALREADY_REFUNDED", twice.Message);
    }

    [Fact]
    public async Task Declined_pre_checkout_charges_nothing_and_shows_the_reason()
    {
        var link = await Bot.CreateInvoiceLink("Pro pack", "1000 credits", "topup:pack_1000:9", "XTR", [new LabeledPrice("1000 credits", 900)]);
        await Post($"/api/users/{Bob}/stars", new { stars = 5000 });

        var payment = Post($"/api/chats/{Bob}/payments", new { invoice_link = link });
        var checkout = Assert.Single(await DrainUpdates(1)).PreCheckoutQuery!;
        await Bot.AnswerPreCheckoutQuery(checkout.Id, "This package is no longer sold");
        var outcome = await payment;

        Assert.StartsWith(Server.BaseUrl + "/invoice/", link, StringComparison.Ordinal);
        Assert.Equal(900, checkout.TotalAmount);
        Assert.Equal("declined", (string?)outcome["status"]);
        Assert.Equal("This package is no longer sold", (string?)outcome["error_message"]);
        Assert.Equal(5000, (int)(await Transcript(Bob))["user"]!["stars"]!);
        Assert.Empty(await Bot.GetUpdates(timeout: 0));
    }

    [Fact]
    public async Task Invoices_that_are_not_single_price_stars_are_refused()
    {
        await UserSays(Bob, "hi");

        var twoPrices = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendInvoice(Bob, "t", "d", "p", "XTR", [new LabeledPrice("a", 1), new LabeledPrice("b", 2)]));
        var withProvider = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendInvoice(Bob, "t", "d", "p", "XTR", [new LabeledPrice("a", 1)], providerToken: "123:TEST"));

        Assert.StartsWith("Bad Request: STARS_INVOICE_INVALID", twoPrices.Message, StringComparison.Ordinal);
        Assert.Equal(400, withProvider.ErrorCode);
    }

    [Fact]
    public async Task Webhook_posts_updates_with_the_secret_header_and_retries_non_2xx()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        await Bot.SetWebhook(receiver.Url, secretToken: "s3cr3t_-Token", allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery, UpdateType.MyChatMember]);

        var conflict = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.GetUpdates(timeout: 0));
        await UserSays(Bob, "via webhook");
        var delivered = await receiver.WaitForDeliveries(2);
        var info = await Bot.GetWebhookInfo();

        Assert.Equal(409, conflict.ErrorCode);
        Assert.All(delivered, d => Assert.Equal("s3cr3t_-Token", d.Secret));
        Assert.Equal(delivered[0].Body, delivered[1].Body);
        var update = JsonNode.Parse(delivered[1].Body)!;
        Assert.Equal("via webhook", (string?)update["message"]!["text"]);
        Assert.Equal(Bob, (long)update["message"]!["from"]!["id"]!);
        Assert.Equal(receiver.Url, info.Url);
        Assert.Equal(0, info.PendingUpdateCount);
        Assert.StartsWith("Wrong response from the webhook: 500", info.LastErrorMessage, StringComparison.Ordinal);
        Assert.Equal([UpdateType.Message, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery, UpdateType.MyChatMember], info.AllowedUpdates);

        await Bot.DeleteWebhook();
        await UserSays(Bob, "back to polling");
        Assert.Equal("back to polling", Assert.Single(await DrainUpdates(1)).Message!.Text);
    }

    [Fact]
    public async Task Webhook_secret_with_forbidden_characters_is_refused()
    {
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SetWebhook("http://127.0.0.1:9/hook", secretToken: "has space"));

        Assert.Equal("Bad Request: secret token contains unallowed characters", error.Message);
    }

    [Fact]
    public async Task Mini_app_init_data_is_signed_with_the_bot_token_per_telegrams_hmac_rule()
    {
        await Post("/api/users", new { id = Bob, first_name = "Боб", language_code = "ru", username = "bob" });

        var launch = await Get($"/api/webapp/launch?userId={Bob}&url={Uri.EscapeDataString("http://127.0.0.1:5000/app/")}&startParam=remix_42");
        var initData = (string)launch["init_data"]!;
        var fields = initData.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

        Assert.True(HmacValid(fields, Server.BotToken));
        Assert.False(HmacValid(fields, "100000:another-token"));
        Assert.Equal("remix_42", fields["start_param"]);
        Assert.Equal(Bob, (long)JsonNode.Parse(fields["user"])!["id"]!);
        Assert.Equal("ru", (string?)JsonNode.Parse(fields["user"])!["language_code"]);
        Assert.Contains("#tgWebAppData=" + Uri.EscapeDataString(initData), (string)launch["url"]!, StringComparison.Ordinal);
        var tampered = new Dictionary<string, string>(fields) { ["user"] = fields["user"].Replace("Боб", "Eve", StringComparison.Ordinal) };
        Assert.False(HmacValid(tampered, Server.BotToken));
    }

    /// <summary>The check from Telegram's Mini App docs, written independently of the emulator.</summary>
    private static bool HmacValid(Dictionary<string, string> fields, string botToken)
    {
        var dataCheckString = string.Join("\n", fields.Where(f => f.Key != "hash").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        using var keyed = new HMACSHA256(Encoding.UTF8.GetBytes("WebAppData"));
        var secret = keyed.ComputeHash(Encoding.UTF8.GetBytes(botToken));
        using var check = new HMACSHA256(secret);
        var expected = check.ComputeHash(Encoding.UTF8.GetBytes(dataCheckString));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(fields["hash"]));
    }

    /// <summary>A bot-side webhook endpoint on 127.0.0.1 that records what it receives.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string? Secret, string Body)> _received = new();
        private int _failuresLeft;

        private WebhookReceiver(WebApplication app, int failFirst)
        {
            _app = app;
            _failuresLeft = failFirst;
        }

        public string Url { get; private set; } = "";

        public static async Task<WebhookReceiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var receiver = new WebhookReceiver(app, failFirst);
            app.MapPost("/telegram/webhook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                receiver._received.Enqueue((request.Headers["X-Telegram-Bot-Api-Secret-Token"].FirstOrDefault(), await reader.ReadToEndAsync()));
                return Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(500) : Results.Ok();
            });
            await app.StartAsync();
            receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/telegram/webhook";
            return receiver;
        }

        public async Task<List<(string? Secret, string Body)>> WaitForDeliveries(int count)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (_received.Count < count)
            {
                await Task.Delay(20, deadline.Token);
            }

            return [.. _received];
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
