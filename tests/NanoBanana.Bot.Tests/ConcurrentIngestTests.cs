using System.Net;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>An ingest-only Host (no update workers): what the webhook stores is all there is to look at.</summary>
public sealed class IngestOnlyFixture : IAsyncLifetime
{
    public BotHarness Harness { get; private set; } = null!;

    public HttpClient Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_ingest_load"));
        var port = TestHost.FreePort();
        await Harness.StartHostAsync(webhookPort: port, settings: new Dictionary<string, string?> { ["Bot:UpdateWorkers"] = "0" });
        Host = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = ConcurrentIngestTests.Connections })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Harness.DisposeAsync();
    }
}

/// <summary>Many webhook connections at once, every update for a chat the bot has not seen yet.</summary>
public sealed class ConcurrentIngestTests(IngestOnlyFixture fixture) : IClassFixture<IngestOnlyFixture>
{
    public const int Connections = 32;

    [Fact]
    public async Task Thousands_of_updates_for_new_chats_on_many_connections_are_all_acknowledged_and_stored_once()
    {
        // Connection c posts its k-th update for chat 8k + c mod 8: four connections post for each new chat at about
        // the same time, so concurrent group-commit batches (of varying sizes) hold the same new chats, which is what
        // made two writers deadlock when they inserted them in different orders.
        const int rounds = 250;
        var firstChat = 7_000_000_000L + Random.Shared.Next(0, 1_000_000) * 10_000L;
        var perConnection = Enumerable.Range(0, Connections)
            .Select(c => Enumerable.Range(0, rounds).Select(k => (Id: Updates.NextId(), Chat: firstChat + 8L * k + c % 8)).ToList())
            .ToList();
        var updates = perConnection.SelectMany(u => u).ToList();
        var chats = updates.Select(u => u.Chat).Distinct().Count();

        var statuses = await Task.WhenAll(perConnection.Select(own => Task.Run(async () =>
        {
            var seen = new List<HttpStatusCode>();
            foreach (var (id, chat) in own)
            {
                using var response = await Updates.PostAsync(fixture.Host, Updates.Text(id, chat, "/start"));
                seen.Add(response.StatusCode);
            }

            return seen;
        })));

        Assert.Equal([HttpStatusCode.OK], statuses.SelectMany(s => s).Distinct());
        var ids = string.Join(",", updates.Select(u => u.Id));
        var connection = fixture.Harness.ConnectionString;
        Assert.Equal(updates.Count, await Updates.ScalarAsync(connection, $"SELECT count(*) FROM bot.updates WHERE update_id IN ({ids})"));
        Assert.Equal(0, await Updates.ScalarAsync(connection, $"""
            SELECT count(*) FROM (VALUES {string.Join(",", updates.Select(u => $"({u.Id},{u.Chat})"))}) AS sent(update_id, chat_id)
            LEFT JOIN bot.updates u USING (update_id)
            WHERE u.chat_id IS DISTINCT FROM sent.chat_id
            """));
        Assert.Equal(chats, await Updates.ScalarAsync(connection, $"SELECT count(*) FROM bot.chats WHERE chat_id BETWEEN {firstChat} AND {firstChat + chats - 1}"));
    }
}
