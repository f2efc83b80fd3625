using System.Text.Json.Nodes;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>An update that keeps failing is retried, then parked: the user is told, admins are alerted, the chat goes on.</summary>
public sealed class FailingUpdateTests : IAsyncLifetime
{
    private const long AdminId = 9_900;
    private const long UserId = 9_901;
    private BotHarness _harness = null!;
    private int _webhookPort;

    public async Task InitializeAsync()
    {
        _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_failing"));
        _webhookPort = TestHost.FreePort();
        await _harness.StartHostAsync(webhookPort: _webhookPort, settings: new Dictionary<string, string?>
        {
            ["Bot:AdminIds:0"] = AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bot:MaxUpdateAttempts"] = "3",
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task An_update_failing_every_attempt_is_parked_with_an_apology_and_an_admin_alert_and_the_chat_continues()
    {
        using var webhook = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_webhookPort}") };
        var admin = _harness.Chat(AdminId);
        await admin.CreateUserAsync("en", "Admin");
        var user = _harness.Chat(UserId);
        await user.CreateUserAsync("en");

        // A sender name far over Telegram's 64 characters: Users refuses it, so this /start can never succeed.
        var poisoned = Updates.NextId();
        var update = JsonNode.Parse(Updates.Text(poisoned, UserId, "/start"))!;
        update["message"]!["from"]!["first_name"] = new string('A', 300);
        Assert.True((await Updates.PostAsync(webhook, update.ToJsonString())).IsSuccessStatusCode);

        await user.WaitForAsync("something went wrong on our side", timeoutMs: 30_000);
        var alert = await admin.WaitForAsync($"Update {poisoned} of chat {UserId} failed repeatedly", timeoutMs: 30_000);
        Assert.Contains("UpsertTelegramUser", alert.Text);
        Assert.Equal(1, await Updates.ScalarAsync(_harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE update_id = {poisoned} AND status = 2 AND attempts = 3"));

        // The parked update no longer holds the chat: the user's next message is answered.
        await user.WaitForAsync("How it works", await user.SayAsync("/help"));
        var transcript = await user.TranscriptAsync();
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("something went wrong", StringComparison.Ordinal));
    }
}
