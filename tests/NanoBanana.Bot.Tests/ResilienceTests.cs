using System.Net.Http.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>Flood control, a Host that stops before processing what it stored, and replicas sharing the inbox.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private BotHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_resilience"));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_429_storm_loses_nothing_and_sends_nothing_twice()
    {
        await _harness.StartHostAsync();
        var chats = Enumerable.Range(0, 3).Select(i => _harness.Chat(7000 + i)).ToList();
        foreach (var chat in chats)
        {
            await chat.CreateUserAsync("en");
        }

        // Warm up: the bot is configured and polling before the storm starts.
        await chats[0].WaitForAsync("How it works", await chats[0].SayAsync("/help"));
        (await _harness.Api.PutAsJsonAsync("/api/faults", new { flood_count = 6, retry_after_seconds = 1 })).EnsureSuccessStatusCode();

        foreach (var chat in chats)
        {
            await chat.SayAsync("/start");
            await chat.SayAsync("/lang");
        }

        foreach (var chat in chats)
        {
            await chat.WaitForAsync("Choose your language");
            var transcript = await chat.TranscriptAsync();
            Assert.Single(transcript.Messages, m => (m.Text ?? "").StartsWith("Hi, Ann", StringComparison.Ordinal));
            Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("Choose your language", StringComparison.Ordinal));
            // Order within the chat survives the retries.
            var welcome = transcript.Messages.Single(m => (m.Text ?? "").StartsWith("Hi, Ann", StringComparison.Ordinal)).MessageId;
            var picker = transcript.Messages.Single(m => (m.Text ?? "").Contains("Choose your language", StringComparison.Ordinal)).MessageId;
            Assert.True(welcome < picker);
        }

        var faults = await _harness.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/faults");
        Assert.Equal(6, faults.GetProperty("flood_rejections").GetInt32());
        Assert.Equal(0, faults.GetProperty("flood_count").GetInt32());
    }

    [Fact]
    public async Task Updates_stored_by_a_host_that_stops_before_processing_are_processed_once_by_the_next()
    {
        var port = TestHost.FreePort();
        var ingestOnly = await _harness.StartHostAsync(webhookPort: port, settings: new Dictionary<string, string?> { ["Bot:InboxWorkers"] = "0" });
        using var webhook = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var chat = _harness.Chat(7100);
        await chat.CreateUserAsync("en");
        var first = Updates.NextId();
        // Stored out of order; processing follows update_id.
        await Updates.PostAsync(webhook, Updates.Text(first + 1, chat.UserId, "/lang"));
        await Updates.PostAsync(webhook, Updates.Text(first, chat.UserId, "/help"));
        Assert.Equal(2, await Updates.ScalarAsync(_harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE update_id IN ({first}, {first + 1}) AND status = 0"));

        _harness.Hosts.Remove(ingestOnly);
        await ingestOnly.DisposeAsync();
        await _harness.StartHostAsync();

        await chat.WaitForAsync("Choose your language");
        var transcript = await chat.TranscriptAsync();
        var help = Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("How it works", StringComparison.Ordinal));
        var lang = Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("Choose your language", StringComparison.Ordinal));
        Assert.True(help.MessageId < lang.MessageId);
        Assert.Equal(0, await Updates.ScalarAsync(_harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE update_id IN ({first}, {first + 1}) AND status <> 1"));
    }

    [Fact]
    public async Task Two_hosts_share_the_inbox_each_update_once_and_in_order_per_chat()
    {
        var port = TestHost.FreePort();
        await _harness.StartHostAsync(webhookPort: port);
        await _harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            // Same public URL as the first: Telegram has one webhook; the second Host only works the shared inbox.
            ["Telegram:WebhookUrl"] = $"http://127.0.0.1:{port}/telegram/webhook",
        });
        using var webhook = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var chats = Enumerable.Range(0, 6).Select(i => _harness.Chat(7200 + i)).ToList();
        foreach (var chat in chats)
        {
            await chat.CreateUserAsync("en");
        }

        // Telegram delivers one chat's updates one after another (ids increasing); different chats
        // arrive concurrently and interleave. Ordering is only defined for updates already stored.
        var commands = new[] { "/help", "/lang", "/start", "/cancel" };
        await Task.WhenAll(chats.Select(async chat =>
        {
            foreach (var command in commands)
            {
                var response = await Updates.PostAsync(webhook, Updates.Text(Updates.NextId(), chat.UserId, command));
                response.EnsureSuccessStatusCode();
            }
        }));
        foreach (var chat in chats)
        {
            await chat.WaitForAsync("What shall we create", timeoutMs: 30_000);
            var texts = (await chat.TranscriptAsync()).Messages.Where(m => m.From == "bot").Select(m => m.Text ?? "").ToList();
            Assert.Equal(4, texts.Count);
            Assert.Contains("How it works", texts[0]);
            Assert.Contains("Choose your language", texts[1]);
            Assert.StartsWith("Hi, Ann", texts[2]);
            Assert.Contains("What shall we create", texts[3]);
        }
    }
}
