using System.Diagnostics;
using System.Net;
using NanoBanana.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// The built Host as real OS processes against the playground emulator: killed with SIGKILL between
/// storing and processing updates or in the middle of processing them, and two processes sharing the inbox.
/// "Once" is asserted where it is exact: in the database, an update counts as processed in the transaction
/// that queues its replies (attempts = 1, one reply row each); the emulator's transcript (the sender is
/// at-least-once) must show the replies in order.
/// </summary>
public sealed class HostProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Each command has one reply, recognisable by this text.
    private static readonly (string Command, string Reply)[] Script =
    [
        ("/help", "How it works"),
        ("/lang", "Choose your language"),
        ("/start", "Hi, Ann"),
        ("/cancel", "What shall we create"),
    ];

    private BotHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_processes"));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Updates_stored_by_a_host_killed_before_processing_are_processed_once_in_order_by_the_next_host()
    {
        var port = TestHost.FreePort();
        var ingestOnly = await _harness.StartProcessAsync(webhookPort: port, settings: new Dictionary<string, string?> { ["Bot:UpdateWorkers"] = "0" });
        using var webhook = new HttpClient { BaseAddress = ingestOnly.HttpAddress };
        var chats = await CreateChatsAsync(7300, 4);
        var planned = chats.ToDictionary(chat => chat.UserId, _ => Script.Select(step => (Id: Updates.NextId(), step.Command)).ToArray());

        // Stored out of order (last command first), chats interleaved, and one update of each chat delivered twice.
        foreach (var index in Enumerable.Range(0, Script.Length).Reverse().Append(1))
        {
            foreach (var chat in chats)
            {
                var (id, command) = planned[chat.UserId][index];
                var response = await Updates.PostAsync(webhook, Updates.Text(id, chat.UserId, command));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        var ids = planned.Values.SelectMany(steps => steps.Select(step => step.Id)).ToArray();
        Assert.Equal(ids.Length, await ScalarAsync($"SELECT count(*) FROM bot.updates WHERE update_id IN ({string.Join(',', ids)}) AND status = 0"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM bot.outbound WHERE chat_id IN ({ChatIds(chats)})"));

        ingestOnly.Kill();
        await _harness.StartProcessAsync();

        await AssertEachUpdateProcessedOnceInOrderAsync(chats, ids, Script.Select(step => step.Reply).ToArray());
    }

    [Fact]
    public async Task A_host_killed_mid_processing_leaves_the_rest_to_the_next_host_and_no_update_is_handled_twice()
    {
        var port = TestHost.FreePort();
        // One worker and 24 chats: posting is concurrent per chat and processing is serial, so the burst is still
        // being processed when the posting ends (8 chats were processed as fast as they arrived on a quiet machine,
        // and the kill found nothing left). Short leases: the chat its worker
        // owned and the calls its sender claimed before the kill go to the next host soon.
        var first = await _harness.StartProcessAsync(webhookPort: port, settings: new Dictionary<string, string?>
        {
            ["Bot:UpdateWorkers"] = "1",
            ["Bot:ChatLease"] = "00:00:02",
            ["Bot:OutboundLease"] = "00:00:02",
        });
        using var webhook = new HttpClient { BaseAddress = first.HttpAddress };
        var chats = await CreateChatsAsync(7400, 24);
        var script = Script.Concat(Script).ToArray();
        var ids = new List<int>();
        await Task.WhenAll(chats.Select(async chat =>
        {
            foreach (var (command, _) in script)
            {
                var id = Updates.NextId();
                lock (ids)
                {
                    ids.Add(id);
                }

                var response = await Updates.PostAsync(webhook, Updates.Text(id, chat.UserId, command));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));

        var inList = string.Join(',', ids);
        await WaitUntilAsync(async () => await ScalarAsync($"SELECT count(*) FROM bot.updates WHERE update_id IN ({inList}) AND status = 1") >= 3, "the first host processed some updates");
        first.Kill();
        var left = await ScalarAsync($"SELECT count(*) FROM bot.updates WHERE update_id IN ({inList}) AND status = 0");
        Assert.True(left > 0, "the kill came after the whole burst was processed; the test did not cut processing");
        output.WriteLine($"killed with {left} of {ids.Count} updates pending");

        await _harness.StartProcessAsync();

        await AssertEachUpdateProcessedOnceInOrderAsync(chats, [.. ids], script.Select(step => step.Reply).ToArray());
    }

    [Fact]
    public async Task Two_host_processes_starting_together_behind_one_webhook_share_the_inbox_each_update_once_and_in_order_per_chat()
    {
        var port = TestHost.FreePort();
        var webhookUrl = $"http://127.0.0.1:{port}/telegram/webhook";
        // Both start together on the fresh database (migrations race) behind one public URL (a load balancer in
        // production): both replicas register it and both receive.
        var starting = new[]
        {
            _harness.StartProcessAsync(webhookPort: port),
            _harness.StartProcessAsync(settings: new Dictionary<string, string?> { ["Telegram:WebhookUrl"] = webhookUrl }),
        };
        var (first, second) = (await starting[0], await starting[1]);
        using var toFirst = new HttpClient { BaseAddress = first.HttpAddress };
        using var toSecond = new HttpClient { BaseAddress = second.HttpAddress };
        var chats = await CreateChatsAsync(7500, 8);
        var ids = new List<int>();

        // Telegram sends one chat's updates one after another; chats interleave. Each update goes to either replica.
        await Task.WhenAll(chats.Select(async (chat, chatIndex) =>
        {
            for (var step = 0; step < Script.Length; step++)
            {
                var id = Updates.NextId();
                lock (ids)
                {
                    ids.Add(id);
                }

                var replica = (chatIndex + step) % 2 == 0 ? toFirst : toSecond;
                var response = await Updates.PostAsync(replica, Updates.Text(id, chat.UserId, Script[step].Command));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));

        await AssertEachUpdateProcessedOnceInOrderAsync(chats, [.. ids], Script.Select(step => step.Reply).ToArray());
    }

    private async Task<List<PlaygroundChat>> CreateChatsAsync(long firstUserId, int count)
    {
        var chats = Enumerable.Range(0, count).Select(i => _harness.Chat(firstUserId + i)).ToList();
        foreach (var chat in chats)
        {
            await chat.CreateUserAsync("en");
        }

        return chats;
    }

    private async Task AssertEachUpdateProcessedOnceInOrderAsync(IReadOnlyList<PlaygroundChat> chats, int[] ids, string[] replies)
    {
        var inList = string.Join(',', ids);
        await WaitUntilAsync(async () => await ScalarAsync($"SELECT count(*) FROM bot.updates WHERE update_id IN ({inList}) AND status = 1") == ids.Length, "every update processed");
        // attempts counts committed processing steps (a step cut by the kill rolls back with it).
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM bot.updates WHERE update_id IN ({inList}) AND attempts <> 1"));
        foreach (var chat in chats)
        {
            var queued = await QueuedRepliesAsync(chat.UserId);
            Assert.True(queued.Count == replies.Length, $"chat {chat.UserId}: {queued.Count} replies queued, {replies.Length} expected:\n{string.Join("\n", queued)}");
            for (var i = 0; i < replies.Length; i++)
            {
                Assert.Contains(replies[i], queued[i], StringComparison.Ordinal);
            }
        }

        await WaitUntilAsync(async () => await ScalarAsync($"SELECT count(*) FROM bot.outbound WHERE chat_id IN ({ChatIds(chats)}) AND sent_at IS NULL") == 0, "every reply sent");
        foreach (var chat in chats)
        {
            // A reply sent just before a kill, not yet marked sent, goes again: collapse such repeats.
            var texts = (await chat.TranscriptAsync()).Messages.Where(m => m.From == "bot").Select(m => m.Text ?? "").ToList();
            var delivered = texts.Where((text, i) => i == 0 || text != texts[i - 1]).ToList();
            Assert.True(delivered.Count == replies.Length, $"chat {chat.UserId} shows:\n{string.Join("\n", texts)}");
            for (var i = 0; i < replies.Length; i++)
            {
                Assert.Contains(replies[i], delivered[i], StringComparison.Ordinal);
            }
        }
    }

    private async Task<List<string>> QueuedRepliesAsync(long chatId)
    {
        await using var connection = new NpgsqlConnection(_harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(payload->>'text', payload::text) FROM bot.outbound WHERE chat_id = $1 ORDER BY id", connection);
        command.Parameters.AddWithValue(chatId);
        var replies = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            replies.Add(reader.GetString(0));
        }

        return replies;
    }

    private Task<long> ScalarAsync(string sql) => Updates.ScalarAsync(_harness.ConnectionString, sql);

    private static string ChatIds(IEnumerable<PlaygroundChat> chats) => string.Join(',', chats.Select(chat => chat.UserId));

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                var outputs = _harness.Processes.Select((process, i) => $"--- process {i}{(process.HasExited ? " (exited)" : "")}:\n{process.Output}");
                throw new Xunit.Sdk.XunitException($"Timed out waiting for: {what}\n{string.Join("\n", outputs)}");
            }

            await Task.Delay(20);
        }
    }
}
