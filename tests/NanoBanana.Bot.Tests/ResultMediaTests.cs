using System.Text.Json;
using NanoBanana.Bot.Replies;
using Npgsql;
using NpgsqlTypes;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// How generated files reach Telegram: uploaded by the bot itself (multipart, streamed from the Host's
/// media endpoint), their file_ids stored, re-sent from /history by file_id, uploaded again when Telegram
/// no longer knows a stored file_id. The emulator records how each file arrived.
/// </summary>
public sealed class ResultMediaTests(GenerationResultFixture fixture) : IClassFixture<GenerationResultFixture>
{
    [Fact]
    public async Task An_image_result_is_uploaded_by_the_bot_and_the_largest_photo_and_the_document_file_ids_are_stored()
    {
        var (_, photo, document) = await DeliveredImageAsync("a green banana");

        Assert.Equal("upload", photo.GetProperty("file_source").GetString());
        Assert.Equal("upload", document.GetProperty("file_source").GetString());
        Assert.StartsWith("nanobanana-", document.GetProperty("document").GetProperty("file_name").GetString(), StringComparison.Ordinal);
        // The transcript shows the largest photo size; the emulator lists a smaller preview first.
        Assert.Equal("photo", await StoredKindAsync(FileId(photo, "photo")));
        Assert.Equal("document", await StoredKindAsync(FileId(document, "document")));
    }

    [Fact]
    public async Task History_resends_by_file_id_without_uploading_and_twice_stores_nothing_new()
    {
        var (chat, photo, document) = await DeliveredImageAsync("a blue banana");
        await StoredKindAsync(FileId(document, "document"));

        for (var resend = 1; resend <= 2; resend++)
        {
            var history = await chat.WaitForAsync("Your last generations", await chat.SayAsync("/history"));
            await chat.PressAsync(history.MessageId, history.Button("📤 1"));
            var again = await fixture.WaitForMediaAsync(chat, "document", 1 + resend);
            var againPhoto = await fixture.WaitForMediaAsync(chat, "photo", 1 + resend);

            Assert.Equal("file_id", againPhoto.GetProperty("file_source").GetString());
            Assert.Equal("file_id", again.GetProperty("file_source").GetString());
            Assert.Equal(FileId(photo, "photo"), FileId(againPhoto, "photo"));
            Assert.Equal(FileId(document, "document"), FileId(again, "document"));
        }

        Assert.Equal(2, await StoredRowsOfMediaAsync(FileId(photo, "photo")));
    }

    [Fact]
    public async Task A_file_id_telegram_rejects_falls_back_to_an_upload_and_is_replaced()
    {
        var (chat, photo, _) = await DeliveredImageAsync("a purple banana");
        var original = FileId(photo, "photo");
        await StoredKindAsync(original);
        await ExecuteAsync("UPDATE bot.result_media_files SET file_id = 'AgACAgIAAx0-stale' WHERE file_id = $1", original);

        var history = await chat.WaitForAsync("Your last generations", await chat.SayAsync("/history"));
        await chat.PressAsync(history.MessageId, history.Button("📤 1"));
        var again = await fixture.WaitForMediaAsync(chat, "photo", 2);

        Assert.Equal("upload", again.GetProperty("file_source").GetString());
        var replacement = FileId(again, "photo");
        Assert.NotEqual(original, replacement);
        Assert.Equal("photo", await StoredKindAsync(replacement));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM bot.result_media_files WHERE file_id = 'AgACAgIAAx0-stale'"));
    }

    [Fact]
    public async Task Result_rows_naming_a_foreign_url_or_a_vanished_file_are_dropped_without_holding_up_the_chat()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var foreign = new OutMessage
        {
            Kind = OutKind.SendPhoto,
            Result = new ResultFile("job-foreign", "media-foreign", "https://example.invalid/steal.png", 100, "x.png"),
        };
        var vanished = new OutMessage
        {
            Kind = OutKind.SendDocument,
            Result = new ResultFile("job-gone", "media-gone", $"/generation/media/{Guid.CreateVersion7()}", 100, "x.png"),
        };
        await QueueAsync(chat.UserId, foreign);
        await QueueAsync(chat.UserId, vanished);
        // The same job's second file (a preview and its original): still one notice for the job.
        await QueueAsync(chat.UserId, vanished with { Kind = OutKind.SendPhoto });

        // Rows of a chat go in order: the reply to /help comes only after both rows were settled.
        await chat.WaitForAsync("/history", await chat.SayAsync("/help"));

        Assert.Equal(3, await CountAsync($"SELECT count(*) FROM bot.outbound WHERE chat_id = {chat.UserId} AND failed_at IS NOT NULL AND payload ? 'result'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM bot.outbound WHERE chat_id = {chat.UserId} AND last_error LIKE '%no usable download path%'"));
        Assert.Equal(2, await CountAsync($"SELECT count(*) FROM bot.outbound WHERE chat_id = {chat.UserId} AND last_error LIKE '%gone from the media endpoint%'"));
        Assert.DoesNotContain(await fixture.BotMessagesAsync(chat), m => m.GetProperty("photo").ValueKind == JsonValueKind.Object
                                                                         || m.GetProperty("document").ValueKind == JsonValueKind.Object);
        // The user is told once per job that its file is gone, instead of the re-send vanishing silently.
        var first = await chat.WaitForAsync("no longer stored");
        await chat.WaitForAsync("no longer stored", first.MessageId);
        await chat.WaitForAsync("/history", await chat.SayAsync("/help"));
        var notices = (await chat.TranscriptAsync()).Messages.Count(m => (m.Text ?? "").Contains("no longer stored", StringComparison.Ordinal));
        Assert.Equal(2, notices);
    }

    private async Task<(PlaygroundChat Chat, JsonElement Photo, JsonElement Document)> DeliveredImageAsync(string prompt)
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", prompt);
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
        var photo = await fixture.WaitForMediaAsync(chat, "photo", 1);
        var document = await fixture.WaitForMediaAsync(chat, "document", 1);
        return (chat, photo, document);
    }

    private static string FileId(JsonElement message, string field) => message.GetProperty(field).GetProperty("file_id").GetString()!;

    /// <summary>The kind stored with a file_id; waits briefly, since the row is written right after Telegram answers.</summary>
    private async Task<string> StoredKindAsync(string fileId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand("SELECT kind FROM bot.result_media_files WHERE file_id = $1", connection) { Parameters = { new() { Value = fileId } } };
            if (await command.ExecuteScalarAsync() is string kind)
            {
                return kind;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"file_id {fileId} was never stored.");
    }

    private async Task<long> StoredRowsOfMediaAsync(string fileId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM bot.result_media_files WHERE media_id = (SELECT media_id FROM bot.result_media_files WHERE file_id = $1)", connection)
        {
            Parameters = { new() { Value = fileId } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task QueueAsync(long chatId, OutMessage message)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("INSERT INTO bot.outbound (chat_id, lane, payload) VALUES ($1, 'main', $2)", connection)
        {
            Parameters = { new() { Value = chatId }, new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = message.ToJson() } },
        };
        await command.ExecuteNonQueryAsync();
    }

    private async Task ExecuteAsync(string sql, string argument)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = argument } } };
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(fixture.Harness.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
