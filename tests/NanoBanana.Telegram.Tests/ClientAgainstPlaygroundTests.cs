using System.Net;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Tests;

/// <summary>Telegram.Bot and the emulator over real HTTP on 127.0.0.1.</summary>
public sealed class ClientAgainstPlaygroundTests : PlaygroundTest
{
    private const long Alice = 7_000_000_001;

    [Fact]
    public async Task Get_me_returns_the_bot_named_by_the_token()
    {
        var me = await Bot.GetMe();

        Assert.True(me.IsBot);
        Assert.Equal(100000, me.Id);
        Assert.Equal(me.Id, Bot.BotId);
    }

    [Fact]
    public async Task User_text_arrives_by_long_polling_and_the_offset_confirms_it()
    {
        var poll = Bot.GetUpdates(offset: 0, timeout: 20);
        await UserSays(Alice, "/start ref_abc");
        var updates = await poll;

        var message = Assert.Single(updates).Message!;
        Assert.Equal("/start ref_abc", message.Text);
        Assert.Equal(Alice, message.From!.Id);
        Assert.Equal(Alice, message.Chat.Id);
        Assert.Empty(await Bot.GetUpdates(offset: updates[0].Id + 1, timeout: 0));
    }

    [Fact]
    public async Task Unconfirmed_updates_are_delivered_again()
    {
        await UserSays(Alice, "one");
        var first = await Bot.GetUpdates(timeout: 0);
        var again = await Bot.GetUpdates(offset: first[0].Id, timeout: 0);

        Assert.Equal(first[0].Id, Assert.Single(again).Id);
    }

    [Fact]
    public async Task Sent_messages_with_keyboards_and_edits_show_in_the_transcript()
    {
        await UserSays(Alice, "hi");
        var menu = new ReplyKeyboardMarkup([["🖼 Create image", "🎬 Create video"], ["💰 My balance"]]) { ResizeKeyboard = true };
        await Bot.SendMessage(Alice, "Welcome", replyMarkup: menu);
        var progress = await Bot.SendMessage(Alice, "Queued", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Cancel", "job:cancel:1")));
        var edited = await Bot.EditMessageText(Alice, progress.Id, "Generating… 12 s");

        var transcript = await Transcript(Alice);
        var messages = transcript["messages"]!.AsArray();
        Assert.Equal("🖼 Create image", (string?)transcript["reply_keyboard"]![0]![0]!["text"]);
        Assert.Equal("Generating… 12 s", (string?)messages[^1]!["text"]);
        Assert.Equal(1, (int)messages[^1]!["edit_count"]!);
        Assert.Null(messages[^1]!["inline_keyboard"]);
        Assert.NotNull(edited.EditDate);
    }

    [Fact]
    public async Task Unchanged_edit_and_unknown_chat_answer_the_telegram_error_envelope()
    {
        await UserSays(Alice, "hi");
        var sent = await Bot.SendMessage(Alice, "Same");

        var notModified = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.EditMessageText(Alice, sent.Id, "Same"));
        var noChat = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendMessage(123, "x"));

        Assert.Equal(400, notModified.ErrorCode);
        Assert.StartsWith("Bad Request: message is not modified", notModified.Message, StringComparison.Ordinal);
        Assert.Equal("Bad Request: chat not found", noChat.Message);
        Assert.Null(noChat.Parameters?.RetryAfter);
    }

    [Fact]
    public async Task A_wrong_token_is_unauthorized()
    {
        var stranger = new TelegramBotClient(new TelegramBotClientOptions("100000:wrong", Server.BaseUrl) { RetryCount = 0 }, Http);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => stranger.GetMe());

        Assert.Equal(401, error.ErrorCode);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flood_storm_answers_429_with_retry_after_then_recovers()
    {
        await UserSays(Alice, "hi");
        await Put("/api/faults", new { flood_count = 2, retry_after_seconds = 7 });

        var first = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendMessage(Alice, "a"));
        var second = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendMessage(Alice, "a"));
        var third = await Bot.SendMessage(Alice, "a");

        Assert.Equal(429, first.ErrorCode);
        Assert.Equal(7, first.Parameters!.RetryAfter);
        Assert.Equal(7, second.Parameters!.RetryAfter);
        Assert.Equal("a", third.Text);
        Assert.Equal(2, (int)(await Get("/api/faults"))["flood_rejections"]!);
    }

    [Fact]
    public async Task Slow_server_hits_the_per_request_timeout_as_a_request_exception()
    {
        await Put("/api/faults", new { delay_milliseconds = 5000 });
        var impatient = NewClient(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<RequestException>(() => impatient.SendChatAction(Alice, ChatAction.Typing));

        // Telegram.Bot gives a timeout no HTTP status (our client said 408); its message says what happened.
        Assert.IsNotType<ApiRequestException>(error);
        Assert.Equal("Bot API Request timed out", error.Message);
    }

    [Fact]
    public async Task Uploads_through_the_upload_client_outlast_the_request_timeout_that_a_file_id_send_keeps()
    {
        // The bot's split (ADR 0077 / 0095): one client per time limit, since Telegram.Bot has one Timeout per client.
        await UserSays(Alice, "hi");
        var uploaded = await Bot.SendDocument(Alice, InputFile.FromStream(new MemoryStream([1, 2, 3]), "a.bin"));
        await Put("/api/faults", new { delay_milliseconds = 1000 });
        var requests = NewClient(TimeSpan.FromMilliseconds(300));
        var uploads = NewClient(TimeSpan.FromSeconds(30));

        var sent = await uploads.SendDocument(Alice, InputFile.FromStream(new MemoryStream([4, 5, 6, 7]), "b.bin"));
        var error = await Assert.ThrowsAsync<RequestException>(() => requests.SendDocument(Alice, InputFile.FromFileId(uploaded.Document!.FileId)));

        Assert.Equal(4L, sent.Document!.FileSize);
        Assert.Equal("Bot API Request timed out", error.Message);
    }

    [Fact]
    public async Task Duplicate_delivery_fault_hands_the_same_update_out_twice()
    {
        await Put("/api/faults", new { duplicate_deliveries = true });
        await UserSays(Alice, "pay twice?");

        var first = await Bot.GetUpdates(offset: 0, timeout: 0);
        var second = await Bot.GetUpdates(offset: first[^1].Id + 1, timeout: 0);

        Assert.Equal(first[0].Id, Assert.Single(second).Id);
        Assert.Empty(await Bot.GetUpdates(offset: first[^1].Id + 1, timeout: 0));
    }

    [Fact]
    public async Task Photo_upload_is_multipart_and_downloads_back_byte_for_byte()
    {
        await UserSays(Alice, "hi");
        var png = TestImages.Png(640, 480);

        var sent = await Bot.SendPhoto(Alice, InputFile.FromStream(new MemoryStream(png), "result.png"), caption: "Nano Banana · 4 credits");
        var largest = sent.Photo![^1];
        using var downloaded = new MemoryStream();
        var file = await Bot.GetInfoAndDownloadFile(largest.FileId, downloaded);

        Assert.Equal((640, 480), (largest.Width, largest.Height));
        Assert.True(sent.Photo[0].Width < largest.Width);
        Assert.Equal(png, downloaded.ToArray());
        Assert.Equal(png.LongLength, file.FileSize);
        var resent = await Bot.SendPhoto(Alice, largest.FileId);
        Assert.Equal(largest.FileUniqueId, resent.Photo![^1].FileUniqueId);
    }

    [Fact]
    public async Task Oversized_photo_dimensions_are_refused_like_telegram_does()
    {
        await UserSays(Alice, "hi");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendPhoto(Alice, InputFile.FromStream(new MemoryStream(TestImages.Png(2100, 100)), "wide.png")));

        Assert.Equal("Bad Request: PHOTO_INVALID_DIMENSIONS", error.Message);
    }

    [Fact]
    public async Task Media_group_mixes_uploads_and_file_ids_into_one_album()
    {
        await UserSays(Alice, "hi");
        var existing = (await Bot.SendPhoto(Alice, InputFile.FromStream(new MemoryStream(TestImages.Png(10, 10, 1)), "a.png"))).Photo![^1];
        var upload = TestImages.Png(20, 30, 2);

        var mixed = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendMediaGroup(Alice,
        [
            new InputMediaPhoto(existing.FileId),
            new InputMediaDocument(InputFile.FromStream(new MemoryStream([9, 9]), "c.bin")),
        ]));
        Assert.Equal("Bad Request: documents can't be mixed with other media types", mixed.Message);

        var photos = await Bot.SendMediaGroup(Alice,
        [
            new InputMediaPhoto(InputFile.FromStream(new MemoryStream(upload), "b.png")) { Caption = "variants" },
            new InputMediaPhoto(existing.FileId),
        ]);

        Assert.Equal(2, photos.Length);
        Assert.NotNull(photos[0].MediaGroupId);
        Assert.Equal(photos[0].MediaGroupId, photos[1].MediaGroupId);
        Assert.Equal("variants", photos[0].Caption);
        Assert.Equal((20, 30), (photos[0].Photo![^1].Width, photos[0].Photo![^1].Height));
        Assert.Equal(existing.FileUniqueId, photos[1].Photo![^1].FileUniqueId);
        using var downloaded = new MemoryStream();
        await Bot.GetInfoAndDownloadFile(photos[0].Photo![^1].FileId, downloaded);
        Assert.Equal(upload, downloaded.ToArray());
    }

    [Fact]
    public async Task User_album_arrives_as_separate_updates_sharing_a_media_group_id()
    {
        await UserSendsPhotos(Alice, "remix these", TestImages.Png(30, 30, 1), TestImages.Png(40, 30, 2), TestImages.Png(50, 30, 3));

        var updates = await DrainUpdates(3);

        Assert.Equal(3, updates.Count);
        Assert.Single(updates.Select(u => u.Message!.MediaGroupId).Distinct());
        Assert.NotNull(updates[0].Message!.MediaGroupId);
        Assert.Equal("remix these", updates[0].Message!.Caption);
        Assert.All(updates.Skip(1), u => Assert.Null(u.Message!.Caption));
        Assert.Equal([30, 40, 50], updates.Select(u => u.Message!.Photo![^1].Width));
        using var downloaded = new MemoryStream();
        await Bot.GetInfoAndDownloadFile(updates[1].Message!.Photo![^1].FileId, downloaded);
        Assert.Equal(TestImages.Png(40, 30, 2), downloaded.ToArray());
    }

    [Fact]
    public async Task Button_press_becomes_a_callback_query_whose_answer_the_user_sees()
    {
        await UserSays(Alice, "hi");
        var sent = await Bot.SendMessage(Alice, "Pick", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Nano", "model:nano")));
        await DrainUpdates(1);

        var pressed = await Post($"/api/chats/{Alice}/callbacks", new { message_id = sent.Id, callback_data = "model:nano" });
        var update = Assert.Single(await DrainUpdates(1));
        await Bot.AnswerCallbackQuery(update.CallbackQuery!.Id, "Nano Banana selected");
        var answered = await Post($"/api/chats/{Alice}/wait", new { callback_query_id = (string?)pressed["callback_query_id"], timeout_ms = 5000 });

        Assert.Equal((string?)pressed["callback_query_id"], update.CallbackQuery.Id);
        Assert.Equal("model:nano", update.CallbackQuery.Data);
        Assert.Equal(sent.Id, update.CallbackQuery.Message!.Id);
        Assert.Equal("Nano Banana selected", (string?)answered["callback_answer"]!["text"]);
        await Assert.ThrowsAsync<ApiRequestException>(() => Bot.AnswerCallbackQuery(update.CallbackQuery.Id));
    }

    [Fact]
    public async Task Callback_data_over_64_bytes_is_refused_like_telegram_does()
    {
        await UserSays(Alice, "hi");
        var cyrillic = new string('ж', 33); // 66 bytes in UTF-8, 33 chars

        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendMessage(Alice, "Pick", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", cyrillic))));
        var empty = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendMessage(Alice, "Pick", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", ""))));
        var longest = await Bot.SendMessage(Alice, "Pick", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("x", new string('a', 64))));

        Assert.Equal((400, "Bad Request: BUTTON_DATA_INVALID"), (tooLong.ErrorCode, tooLong.Message));
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", empty.Message);
        Assert.Equal(new string('a', 64), longest.ReplyMarkup!.InlineKeyboard.Single().Single().CallbackData);
    }

    [Fact]
    public async Task Blocking_the_bot_is_a_my_chat_member_update_and_sends_then_fail_with_403()
    {
        await UserSays(Alice, "hi");
        await Post($"/api/users/{Alice}/blocked", new { blocked = true });
        var updates = await DrainUpdates(2);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendMessage(Alice, "still there?"));

        Assert.Equal(ChatMemberStatus.Kicked, updates[^1].MyChatMember!.NewChatMember.Status);
        Assert.Equal(403, error.ErrorCode);
        Assert.Equal("Forbidden: bot was blocked by the user", error.Message);
    }

    [Fact]
    public async Task Commands_and_the_web_app_menu_button_reach_the_chat()
    {
        await Bot.SetMyCommands([new BotCommand { Command = "start", Description = "Main menu" }, new BotCommand { Command = "help", Description = "Help" }]);
        await Bot.SetChatMenuButton(menuButton: new MenuButtonWebApp { Text = "App", WebApp = new WebAppInfo { Url = "http://127.0.0.1:5000/app/" } });
        var invalid = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SetMyCommands([new BotCommand { Command = "Start!", Description = "x" }]));

        var transcript = await Transcript(Alice);

        Assert.Equal("web_app", (string?)transcript["menu_button"]!["type"]);
        Assert.Equal("http://127.0.0.1:5000/app/", (string?)transcript["menu_button"]!["url"]);
        Assert.Equal(["start", "help"], transcript["commands"]!.AsArray().Select(c => (string?)c!["command"]));
        Assert.Equal("Bad Request: BOT_COMMAND_INVALID", invalid.Message);
    }

    [Fact]
    public async Task Documents_and_videos_upload_with_their_names_and_can_be_resent_by_file_id()
    {
        await UserSays(Alice, "hi");
        byte[] original = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

        var document = await Bot.SendDocument(Alice, InputFile.FromStream(new MemoryStream(original), "original.png"), caption: "original");
        var video = await Bot.SendVideo(Alice, InputFile.FromStream(new MemoryStream([0, 0, 0, 24]), "clip.mp4"), supportsStreaming: true);
        var again = await Bot.SendDocument(Alice, document.Document!.FileId);

        Assert.Equal(("original.png", 5000L), (document.Document.FileName, document.Document.FileSize));
        Assert.Equal("clip.mp4", video.Video!.FileName);
        Assert.Equal(document.Document.FileUniqueId, again.Document!.FileUniqueId);
    }

    [Fact]
    public async Task An_album_with_one_bad_file_is_refused_whole()
    {
        using var response = await Http.PostAsync($"/api/chats/{Alice}/photos", new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Png(10, 10)), "photo", "ok.png" },
            { new ByteArrayContent([1, 2, 3]), "photo", "broken.png" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await Transcript(Alice))["messages"]!.AsArray());
        Assert.Empty(await Bot.GetUpdates(timeout: 0));
    }

    [Fact]
    public async Task Uploads_over_telegrams_limits_are_refused_with_its_errors_and_nothing_is_sent()
    {
        await UserSays(Alice, "hi");

        var photo = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendPhoto(Alice, InputFile.FromStream(new MemoryStream(new byte[(10 * MB) + 1]), "big.png")));
        var document = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Bot.SendDocument(Alice, InputFile.FromStream(new MemoryStream(new byte[(50 * MB) + 1]), "big.bin")));

        Assert.Equal((400, "Bad Request: file is too big"), (photo.ErrorCode, photo.Message));
        Assert.Equal((413, "Request Entity Too Large"), (document.ErrorCode, document.Message));
        Assert.DoesNotContain((await Transcript(Alice))["messages"]!.AsArray(), m => (string)m!["from"]! == "bot");
    }

    [Fact]
    public async Task Urls_are_fetched_within_telegrams_url_limits_and_the_transcript_says_how_each_file_came()
    {
        await UserSays(Alice, "hi");
        var content = new byte[6 * MB];
        content[^1] = 7;

        // A stream that cannot seek has no length up front: the client streams it (chunked), as the bot does from HTTP.
        var uploaded = await Bot.SendDocument(Alice, InputFile.FromStream(new ForwardOnlyStream(content), "six.bin"));
        var file = await Bot.GetFile(uploaded.Document!.FileId);
        var url = new Uri($"{Server.BaseUrl}/file/bot{Server.BotToken}/{file.FilePath}");
        var photo = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.SendPhoto(Alice, InputFile.FromUri(url)));
        var byUrl = await Bot.SendDocument(Alice, InputFile.FromUri(url));
        var byFileId = await Bot.SendDocument(Alice, InputFile.FromFileId(uploaded.Document.FileId));

        Assert.Equal(6 * MB, uploaded.Document.FileSize);
        Assert.Equal("Bad Request: failed to get HTTP URL content", photo.Message);
        Assert.Equal(6 * MB, byUrl.Document!.FileSize);
        Assert.Equal(uploaded.Document.FileUniqueId, byFileId.Document!.FileUniqueId);
        var sources = (await Transcript(Alice))["messages"]!.AsArray().Where(m => (string)m!["from"]! == "bot").Select(m => (string?)m!["file_source"]);
        Assert.Equal(["upload", "url", "file_id"], sources);
    }

    private const int MB = 1024 * 1024;

    /// <summary>Readable once, front to back, like a network response body.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
