using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// A step that waits on Telegram (a reference photo download the Bot API server stalls) holds no transaction
/// and no row lock: other chats go on meanwhile, and the same chat's next update follows as soon as the step ends.
/// </summary>
public sealed class StalledDownloadTests : IAsyncLifetime
{
    private BotHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_stalled_download"));

    public async Task DisposeAsync()
    {
        // Never leave a download hanging behind the Host's shutdown.
        await _harness.Api.DeleteAsync("/api/faults");
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task A_stalled_photo_download_blocks_neither_other_chats_nor_its_own_chats_next_update_beyond_itself()
    {
        // Two workers, so one is free while the other waits on the download. A chat lease far longer than the test:
        // the chat's next update can only run this soon if the step gives the chat back when it ends.
        await _harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Bot:UpdateWorkers"] = "2",
            ["Bot:ChatLease"] = "00:10:00",
        });
        var remixer = _harness.Chat(8100);
        var other = _harness.Chat(8101);
        await remixer.CreateUserAsync("en");
        await other.CreateUserAsync("en");
        var confirm = await ConfirmRemixAsync(remixer);

        (await _harness.Api.PutAsJsonAsync("/api/faults", new { hold_downloads = true })).EnsureSuccessStatusCode();
        var generate = await remixer.PressAsync(confirm.MessageId, confirm.Button("Generate"));
        await WaitForHeldDownloadAsync();

        // The remixer's next update, then another chat's: the other chat is answered while the download still hangs.
        await remixer.SayAsync("/help");
        await other.WaitForAsync("How it works", await other.SayAsync("/help"));
        Assert.Equal(1, await HeldDownloadsAsync());
        // The remixer's /help was stored before the other chat's and a worker was free, yet it waits for the step
        // before it, which is still in its download: order within the chat.
        Assert.Equal(0, await ScalarAsync($"SELECT status FROM bot.updates WHERE chat_id = {remixer.UserId} AND payload -> 'message' ->> 'text' = '/help'"));
        // Nothing holds the chat's row: the step waits on Telegram with no transaction and no lock open.
        await using (var connection = new NpgsqlConnection(_harness.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var lockRow = new NpgsqlCommand($"SELECT chat_id FROM bot.chats WHERE chat_id = {remixer.UserId} FOR UPDATE NOWAIT", connection, transaction);
            Assert.Equal(remixer.UserId, await lockRow.ExecuteScalarAsync());
            await transaction.RollbackAsync();
        }

        (await _harness.Api.DeleteAsync("/api/faults")).EnsureSuccessStatusCode();

        await remixer.WaitForAnswerAsync(generate);
        var help = await remixer.WaitForAsync("How it works", confirm.MessageId);
        var stepReplies = (await remixer.TranscriptAsync()).Messages
            .Where(m => m.From == "bot" && m.MessageId > confirm.MessageId && m.MessageId != help.MessageId).ToList();
        // The step's own reply (its progress message, or a top-up offer) went out before the /help answer.
        Assert.NotEmpty(stepReplies);
        Assert.All(stepReplies, m => Assert.True(m.MessageId < help.MessageId, $"#{m.MessageId} '{m.Text}' came after the /help answer #{help.MessageId}"));
    }

    /// <summary>🖼 Create image → remix one photo → prompt → aspect ratio: the "Generate for N credits" card.</summary>
    private static async Task<PlaygroundChat.ChatMessage> ConfirmRemixAsync(PlaygroundChat chat)
    {
        var models = await chat.WaitForAsync("Choose a model", await chat.SayAsync("🖼 Create image"));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:r");
        var ask = await chat.WaitForAsync("Send up to", card.MessageId);
        var counter = await chat.WaitForAsync("1/", (await chat.SendPhotosAsync(1))[^1]);
        Assert.True(counter.MessageId > ask.MessageId);
        await chat.PressAsync(counter.MessageId, "img:d");
        var prompt = await chat.WaitForAsync("what to do with your photos", counter.MessageId);
        await chat.SayAsync("make it blue");
        var ratios = await chat.WaitForAsync("aspect ratio", prompt.MessageId);
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        return await chat.WaitForAsync("Generate for", ratios.MessageId);
    }

    private async Task WaitForHeldDownloadAsync()
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (await HeldDownloadsAsync() == 1)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("The bot never started downloading the reference photo.");
    }

    private async Task<int> HeldDownloadsAsync() =>
        (await _harness.Api.GetFromJsonAsync<JsonElement>("/api/faults")).GetProperty("downloads_held").GetInt32();

    private async Task<long> ScalarAsync(string sql) => await Updates.ScalarAsync(_harness.ConnectionString, sql);
}
