using NanoBanana.Bot.Updates;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Testing;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;
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

    [Fact]
    public async Task Every_bot_api_client_hands_a_429_to_its_caller_instead_of_retrying_itself()
    {
        // Telegram.Bot retries 429 by default; the outbound sender's flood control needs to see it (ADR 0095).
        var host = await _harness.StartHostAsync();
        var chat = _harness.Chat(7100);
        await chat.CreateUserAsync("en");
        await chat.WaitForAsync("How it works", await chat.SayAsync("/help"));
        ITelegramBotClient[] clients =
        [
            host.Services.GetRequiredService<ITelegramBotClient>(),
            host.Services.GetRequiredKeyedService<ITelegramBotClient>(BotApiClients.Uploads),
        ];
        (await _harness.Api.PutAsJsonAsync("/api/faults", new { flood_count = 3, retry_after_seconds = 30 })).EnsureSuccessStatusCode();

        foreach (var client in clients)
        {
            var flood = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendChatAction(7100, ChatAction.Typing));
            Assert.Equal((429, 30), (flood.ErrorCode, flood.Parameters?.RetryAfter));
        }

        Assert.Equal([BotApiClients.RequestTimeout, BotApiClients.UploadTimeout], clients.Select(c => c.Timeout));

        // getUpdates is the bot's own HTTP call (raw update JSON, ADR 0189): no retries at all, the poll's hold on top.
        Assert.Equal(BotApiClients.RequestTimeout + TimeSpan.FromSeconds(1), host.Services.GetRequiredService<LongPoll>().Timeout);
    }
}
