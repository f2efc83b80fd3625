using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class PaymentFixture : IAsyncLifetime
{
    public const long AdminId = 4242;

    private static long _nextUser = 5000;

    public BotHarness Harness { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    /// <summary>The Host's webhook, for hand-made redeliveries.</summary>
    public HttpClient Webhook { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_pay"));
        Host = await Harness.StartHostAsync(settings: new Dictionary<string, string?> { ["Bot:AdminIds:0"] = AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Webhook = new HttpClient { BaseAddress = Host.HttpAddress };
    }

    public async Task DisposeAsync()
    {
        Webhook.Dispose();
        await Harness.DisposeAsync();
    }

    /// <summary>A registered user (after /start) with Stars in the emulator's wallet.</summary>
    public async Task<PlaygroundChat> NewChatAsync(string language, int stars = 1000)
    {
        var chat = Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        (await Harness.Api.PostAsJsonAsync($"/api/users/{chat.UserId}/stars", new { stars })).EnsureSuccessStatusCode();
        await chat.WaitForAsync("Ann", await chat.SayAsync("/start"));
        return chat;
    }

    public async Task<JsonElement> PayAsync(long userId, int? messageId = null, string? invoiceLink = null)
    {
        var response = await Harness.Api.PostAsJsonAsync($"/api/chats/{userId}/payments", new Dictionary<string, object?> { ["message_id"] = messageId, ["invoice_link"] = invoiceLink });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>Top-ups through the emulator's Stars wallet: invoice, pre-checkout, successful_payment, credited once.</summary>
public sealed class PaymentTests(PaymentFixture fixture) : IClassFixture<PaymentFixture>
{
    [Theory]
    [InlineData("en", "➕ Top up", "200 credits + 10 bonus", "Balance: 230 credits", "Payment received: +210 credits. Your balance: 230 credits")]
    [InlineData("ru", "➕ Пополнить", "200 кредитов + 10 бонусных", "Баланс: 230 кредитов", "Оплата получена: +210 кредитов. Ваш баланс: 230 кредитов")]
    public async Task Stars_top_up_credits_the_package_and_its_bonus_once(string language, string topUpButton, string packageTitle, string balanceLine, string receipt)
    {
        var chat = await fixture.NewChatAsync(language);

        var packages = await chat.WaitForAsync(packageTitle, await chat.SayAsync(topUpButton));
        var (invoice, charge) = await BuyAsync(chat, packages, "top:stars:pack-200");
        var confirmation = await chat.WaitForAsync(receipt, invoice);

        // Telegram redelivers the same payment as a new update: nothing more is credited or said.
        var duplicate = Updates.NextId();
        var orderId = (await AsUserAsync(chat.UserId, new ListMyTopUpsRequest())).TopUps.Single().OrderId;
        Assert.True((await Updates.PostAsync(fixture.Webhook, SuccessfulPayment(duplicate, chat.UserId, language, orderId, charge))).IsSuccessStatusCode);
        var after = await PostTextAsync(chat.UserId, language, "/balance");
        await chat.WaitForAsync(balanceLine, confirmation.MessageId);
        Assert.True(after > duplicate);
        var receipts = (await chat.TranscriptAsync()).Messages.Count(m => m.Text?.Contains(receipt, StringComparison.Ordinal) == true);
        Assert.Equal(1, receipts);
    }

    [Fact]
    public async Task A_pre_checkout_for_someone_elses_order_is_refused_with_a_text_and_charges_nothing()
    {
        var owner = await fixture.NewChatAsync("en");
        var payer = await fixture.NewChatAsync("en", stars: 500);
        var created = await AsUserAsync(owner.UserId, new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Stars, Language = "en" });

        var outcome = await fixture.PayAsync(payer.UserId, invoiceLink: created.CheckoutUrl);

        Assert.Equal("declined", outcome.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(outcome.GetProperty("error_message").GetString()));
    }

    [Theory]
    [InlineData("en", "describe the problem", "is with our support team")]
    [InlineData("ru", "опишите проблему", "передано в поддержку")]
    public async Task Paysupport_asks_for_the_text_and_stores_it_for_the_support_team(string language, string question, string confirmation)
    {
        var chat = await fixture.NewChatAsync(language);
        await chat.WaitForAsync(question, await chat.SayAsync("/paysupport"));

        var text = $"Paid 180 stars, no credits (chat {chat.UserId})";
        await chat.WaitForAsync(confirmation, await chat.SayAsync(text));

        var requests = await fixture.Host.SendAsync(Principal.ForApiKey("test", Options.V1.Role.Support), new ListSupportRequestsRequest { Limit = 500 });
        Assert.True(requests.IsSuccess, string.Join("; ", requests.Errors));
        var stored = Assert.Single(requests.Value.Requests, r => r.UserId == chat.UserId);
        Assert.Equal(text, stored.Text);
    }

    [Fact]
    public async Task Model_off_hides_a_model_from_the_image_list_and_on_brings_it_back()
    {
        var admin = fixture.Harness.Chat(PaymentFixture.AdminId);
        await admin.CreateUserAsync("en");
        var user = await fixture.NewChatAsync("en");

        await admin.WaitForAsync("Model nano-banana is hidden", await admin.SayAsync("/model off nano-banana"));
        var hidden = await user.WaitForAsync("Choose a model", await user.SayAsync("🖼 Create image"));
        await admin.WaitForAsync("Model nano-banana is shown", await admin.SayAsync("/model on nano-banana"));
        var later = await fixture.NewChatAsync("en");
        var shown = await later.WaitForAsync("Choose a model", await later.SayAsync("🖼 Create image"));

        Assert.DoesNotContain(Buttons(hidden), data => data.EndsWith(":nano-banana", StringComparison.Ordinal));
        Assert.Contains(Buttons(shown), data => data.EndsWith(":nano-banana", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Model_is_not_a_command_for_ordinary_users()
    {
        var user = await fixture.NewChatAsync("en");

        await user.WaitForAsync("know that command", await user.SayAsync("/model off nano-banana"));
    }

    private static IEnumerable<string> Buttons(PlaygroundChat.ChatMessage message) =>
        (message.InlineKeyboard ?? []).SelectMany(row => row).Select(b => b.CallbackData ?? "");

    private async Task<(int Invoice, string Charge)> BuyAsync(PlaygroundChat chat, PlaygroundChat.ChatMessage packages, string callback)
    {
        await chat.PressAsync(packages.MessageId, callback);
        var invoice = await chat.WaitForAsync("", packages.MessageId);
        var outcome = await fixture.PayAsync(chat.UserId, messageId: invoice.MessageId);
        Assert.Equal("paid", outcome.GetProperty("status").GetString());
        return (invoice.MessageId, outcome.GetProperty("telegram_payment_charge_id").GetString()!);
    }

    private async Task<T> AsUserAsync<T>(long userId, BuildingBlocks.Mediation.IUseCase<T> request)
    {
        var result = await fixture.Host.SendAsync(Principal.ForUser(userId), request);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Value;
    }

    private async Task<int> PostTextAsync(long userId, string language, string text)
    {
        var id = Updates.NextId();
        Assert.True((await Updates.PostAsync(fixture.Webhook, Updates.Text(id, userId, text, language))).IsSuccessStatusCode);
        return id;
    }

    private static string SuccessfulPayment(int updateId, long userId, string language, string orderId, string charge) => new JsonObject
    {
        ["update_id"] = updateId,
        ["message"] = new JsonObject
        {
            ["message_id"] = Random.Shared.Next(1, 1_000_000),
            ["date"] = 1_795_000_000,
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = "Ann" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ann", ["language_code"] = language },
            ["successful_payment"] = new JsonObject
            {
                ["currency"] = "XTR", ["total_amount"] = 180, ["invoice_payload"] = orderId, ["telegram_payment_charge_id"] = charge,
                ["provider_payment_charge_id"] = "",
            },
        },
    }.ToJsonString();
}
