using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// ➕ Top up in the chat with the sandbox provider (what the playground offers): packages with ₽ and ⭐
/// prices, a checkout link, and a receipt in the chat once the order is paid on the page.
/// </summary>
public sealed class TopUpInChatTests : IAsyncLifetime
{
    private static long _nextUser = 9_000;
    private BotHarness _harness = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_topup"));
        _host = await _harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Payments:SandboxEnabled"] = "true",
            ["Outbox:PollInterval"] = "00:00:00.100",
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("en", "➕ Top up", "100 credits — ", "Test order for 100 credits", "Payment received: +100 credits", "Balance: 120 credits")]
    [InlineData("ru", "➕ Пополнить", "100 кредитов — ", "Тестовый заказ на 100 кредитов", "Оплата получена: +100 кредитов", "Баланс: 120 кредитов")]
    public async Task A_sandbox_top_up_links_to_its_checkout_and_the_paid_order_is_confirmed_in_the_chat_once(
        string language, string topUpButton, string packageLine, string orderCreated, string receipt, string balance)
    {
        var chat = _harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync("Ann", await chat.SayAsync("/start"));

        var packages = await chat.WaitForAsync(packageLine, await chat.SayAsync(topUpButton));
        Assert.Contains("₽", packages.Text);
        Assert.Contains("⭐", packages.Text);
        await chat.PressAsync(packages.MessageId, packages.Button("🧪"));
        var order = await chat.WaitForAsync(orderCreated, packages.MessageId);
        var checkout = order.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!;
        Assert.StartsWith(_host.HttpAddress.ToString().TrimEnd('/') + "/payments/sandbox/", checkout);

        // The user pays on the page twice (a double click): one order, one receipt.
        using var web = _host.CreateHttpClient();
        (await web.GetAsync(new Uri(checkout))).EnsureSuccessStatusCode();
        (await web.PostAsync(new Uri(checkout + "/pay"), null)).EnsureSuccessStatusCode();
        await web.PostAsync(new Uri(checkout + "/pay"), null);

        var paid = await chat.WaitForAsync(receipt, order.MessageId);
        await chat.PressAsync(paid.MessageId, "bal:show");
        await chat.WaitForAsync(balance, paid.MessageId);
        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains(receipt, StringComparison.Ordinal));
    }
}
