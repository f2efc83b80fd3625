using System.Net;
using System.Text;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class WebhookFixture : IAsyncLifetime
{
    public BotHarness Harness { get; private set; } = null!;

    public HttpClient Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_ingest"));
        var port = TestHost.FreePort();
        await Harness.StartHostAsync(webhookPort: port);
        Host = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Harness.DisposeAsync();
    }
}

/// <summary>The webhook: bad input gets a clear status and stores nothing; good input is stored once and processed once.</summary>
public sealed class IngestTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private static long _nextUser = 5000;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    [InlineData("")]
    public async Task Missing_or_wrong_secret_is_401_and_nothing_is_stored(string? secret)
    {
        var id = Updates.NextId();

        var response = await Updates.PostAsync(fixture.Host, Updates.Text(id, 1, "/start"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await Updates.ScalarAsync(fixture.Harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE update_id = {id}"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"message\":{}}")]
    [InlineData("{\"update_id\":\"12\"}")]
    public async Task Malformed_bodies_are_400(string body)
    {
        var before = await Updates.ScalarAsync(fixture.Harness.ConnectionString, "SELECT count(*) FROM bot.updates");

        var response = await Updates.PostAsync(fixture.Host, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await Updates.ScalarAsync(fixture.Harness.ConnectionString, "SELECT count(*) FROM bot.updates"));
    }

    [Fact]
    public async Task A_body_over_1_MB_is_413_whether_or_not_it_declares_its_length()
    {
        var id = Updates.NextId();
        var huge = Updates.Text(id, 1, new string('a', 1024 * 1024));

        var declared = await Updates.PostAsync(fixture.Host, huge);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotHarness.Secret);
        var streamed = await fixture.Host.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(0, await Updates.ScalarAsync(fixture.Harness.ConnectionString, $"SELECT count(*) FROM bot.updates WHERE update_id = {id}"));
    }

    [Fact]
    public async Task A_redelivered_update_is_acknowledged_every_time_and_answered_once()
    {
        var chat = fixture.Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync("en");
        var update = Updates.Text(Updates.NextId(), chat.UserId, "/help");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Updates.PostAsync(fixture.Host, update)).StatusCode);
        }

        await chat.WaitForAsync("How it works");
        // A later message's reply proves the duplicates had their chance to be (wrongly) answered first.
        await Updates.PostAsync(fixture.Host, Updates.Text(Updates.NextId(), chat.UserId, "/lang"));
        await chat.WaitForAsync("Choose your language");
        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("How it works", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_deliveries_from_telegram_are_processed_once()
    {
        var chat = fixture.Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync("en");
        await fixture.Harness.Api.PutAsync("/api/faults", System.Net.Http.Json.JsonContent.Create(new { duplicate_deliveries = true }));
        try
        {
            await chat.SayAsync("/help");
            await chat.SayAsync("/lang");
            await chat.WaitForAsync("Choose your language");
        }
        finally
        {
            await fixture.Harness.Api.DeleteAsync("/api/faults");
        }

        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("How it works", StringComparison.Ordinal));
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains("Choose your language", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_album_of_4_interleaved_with_other_chats_is_collected_into_one_counter()
    {
        var owner = fixture.Harness.Chat(Interlocked.Increment(ref _nextUser));
        var others = new[] { fixture.Harness.Chat(Interlocked.Increment(ref _nextUser)), fixture.Harness.Chat(Interlocked.Increment(ref _nextUser)) };
        foreach (var c in others.Append(owner))
        {
            await c.CreateUserAsync("en");
        }

        var models = await owner.WaitForAsync("Choose a model", await owner.SayAsync("🖼 Create image"));
        // Nano Banana 2 takes 4 reference photos (Pro takes 14).
        await owner.PressAsync(models.MessageId, "img:m:nano-banana-2");
        var card = await owner.WaitForAsync("Nano Banana 2", models.MessageId);
        await owner.PressAsync(card.MessageId, "img:r");
        var ask = await owner.WaitForAsync("Send up to 4 photos", card.MessageId);

        var album = "album-" + Guid.NewGuid().ToString("N");
        var sequence = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sequence.Add(Updates.Photo(Updates.NextId(), owner.UserId, $"F{i}", album));
            sequence.Add(Updates.Text(Updates.NextId(), others[i % 2].UserId, "/help"));
        }

        await Task.WhenAll(sequence.Select(body => Updates.PostAsync(fixture.Host, body)));

        var counter = await owner.WaitForAsync("4/4 received", ask.MessageId);
        foreach (var other in others)
        {
            await other.WaitForAsync("How it works");
            // The sender paces each chat (~1 msg/s), so the second reply may still be on its way.
            var replies = 0;
            for (var attempt = 0; attempt < 100 && replies < 2; attempt++)
            {
                replies = (await other.TranscriptAsync()).Messages.Count(m => (m.Text ?? "").Contains("How it works", StringComparison.Ordinal));
                if (replies < 2)
                {
                    await Task.Delay(100);
                }
            }

            Assert.Equal(2, replies);
        }

        var botMessages = (await owner.TranscriptAsync()).Messages.Where(m => m.From == "bot" && m.MessageId > ask.MessageId).ToList();
        Assert.Equal([counter.MessageId], botMessages.Select(m => m.MessageId));
    }
}
