using System.Net.Http.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>Flood control. (Crashes and replicas sharing the inbox: HostProcessTests, with real Host processes.)</summary>
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
}
