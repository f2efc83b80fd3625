using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>Telegram drops a payment whose pre_checkout_query is not answered within 10 s; the answer must not queue behind the chat.</summary>
public sealed class PreCheckoutTests : IAsyncLifetime
{
    private const long UserId = 9_950;
    private BotHarness _harness = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_precheckout"));
        // No update workers: every stored update waits, as behind a long backlog.
        _host = await _harness.StartHostAsync(settings: new Dictionary<string, string?> { ["Bot:UpdateWorkers"] = "0" });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_pre_checkout_is_answered_while_the_chats_inbox_is_stuck_and_the_payment_waits_there_in_order()
    {
        var chat = _harness.Chat(UserId);
        await chat.CreateUserAsync("en");
        (await _harness.Api.PostAsJsonAsync($"/api/users/{UserId}/stars", new { stars = 500 })).EnsureSuccessStatusCode();
        var registered = await _host.SendAsync(Principal.Module, new UpsertTelegramUserRequest { User = new TelegramUser { Id = UserId, FirstName = "Ann", LanguageCode = "en" } });
        Assert.True(registered.IsSuccess);
        var order = await _host.SendAsync(Principal.ForUser(UserId), new CreateTopUpRequest { PackageId = "pack-100", Method = PaymentMethod.Stars, Language = "en" });
        Assert.True(order.IsSuccess, string.Join("; ", order.Errors));
        for (var i = 0; i < 20; i++)
        {
            await chat.SayAsync($"message {i}");
        }

        var payment = await _harness.Api.PostAsJsonAsync($"/api/chats/{UserId}/payments", new Dictionary<string, object?> { ["invoice_link"] = order.Value.CheckoutUrl });
        payment.EnsureSuccessStatusCode();
        var outcome = await payment.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("paid", outcome.GetProperty("status").GetString());
        // The successful_payment itself is stored behind the 20 messages, to be credited in the chat's order.
        var charge = outcome.GetProperty("telegram_payment_charge_id").GetString();
        await WaitForStoredPaymentAsync(charge!);
        Assert.Equal(21, await Updates.ScalarAsync(_harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE chat_id = {UserId} AND kind = 'message' AND status = 0"));
    }

    private async Task WaitForStoredPaymentAsync(string charge)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await Updates.ScalarAsync(_harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE chat_id = {UserId} AND payload::text LIKE '%{charge}%'") == 1)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The successful_payment update was never stored.");
    }
}
