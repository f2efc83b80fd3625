using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Tests;

/// <summary>
/// Handwritten JSON in the shapes the Bot API documentation gives, read and written with Telegram.Bot's
/// source-generated serializer, as the bot's ingest (webhook, long polling, inbox) and the emulator use it.
/// </summary>
public sealed class BotApiFixtureJsonTests
{
    private static Update Parse(string json) => JsonSerializer.Deserialize(json, JsonBotSerializerContext.Default.Update)!;

    [Fact]
    public void Text_message_update_keeps_64_bit_user_ids_and_unix_dates()
    {
        var update = Parse("""
            {"update_id":874512001,
             "message":{"message_id":17,"from":{"id":5123456789012,"is_bot":false,"first_name":"Ира","username":"ira","language_code":"ru"},
                        "chat":{"id":5123456789012,"first_name":"Ира","username":"ira","type":"private"},
                        "date":1763719200,"text":"/start ref_abc",
                        "entities":[{"offset":0,"length":6,"type":"bot_command"}]}}
            """);

        Assert.Equal(UpdateType.Message, update.Type);
        Assert.Equal(874512001, update.Id);
        Assert.Equal(5123456789012L, update.Message!.From!.Id);
        Assert.Equal(ChatType.Private, update.Message.Chat.Type);
        Assert.Equal(new DateTime(2025, 11, 21, 10, 0, 0, DateTimeKind.Utc), update.Message.Date);
        Assert.Equal("/start ref_abc", update.Message.Text);
        Assert.Equal("ru", update.Message.From.LanguageCode);
    }

    [Fact]
    public void Photo_message_lists_sizes_smallest_first_and_album_items_share_media_group_id()
    {
        const string template = """
            {"update_id":%ID%,"message":{"message_id":%ID%,"from":{"id":42,"is_bot":false,"first_name":"A"},"chat":{"id":42,"type":"private","first_name":"A"},
             "date":1763719200,"media_group_id":"13845921839475620","caption":%CAPTION%,
             "photo":[{"file_id":"AgAD-small","file_unique_id":"AQADs","file_size":1290,"width":90,"height":67},
                      {"file_id":"AgAD-big","file_unique_id":"AQADb","file_size":180012,"width":1280,"height":960}]}}
            """;
        var first = Parse(template.Replace("%ID%", "1", StringComparison.Ordinal).Replace("%CAPTION%", "\"make it pop\"", StringComparison.Ordinal));
        var second = Parse(template.Replace("%ID%", "2", StringComparison.Ordinal).Replace("%CAPTION%", "null", StringComparison.Ordinal));

        Assert.Equal("AgAD-big", first.Message!.Photo![^1].FileId);
        Assert.Equal(1280, first.Message.Photo[^1].Width);
        Assert.Equal(first.Message.MediaGroupId, second.Message!.MediaGroupId);
        Assert.Equal("make it pop", first.Message.Caption);
        Assert.Null(second.Message.Caption);
    }

    [Fact]
    public void Document_file_size_beyond_32_bits_is_kept()
    {
        var update = Parse("""
            {"update_id":3,"message":{"message_id":3,"chat":{"id":42,"type":"private"},"date":1763719200,
             "document":{"file_id":"BQACAgIAAxk","file_unique_id":"AgADq","file_name":"clip.mov","mime_type":"video/quicktime","file_size":3221225472}}}
            """);

        Assert.Equal(3_221_225_472L, update.Message!.Document!.FileSize);
        Assert.Equal("clip.mov", update.Message.Document.FileName);
    }

    [Fact]
    public void Callback_query_update_carries_data_and_the_message_with_its_keyboard()
    {
        var update = Parse("""
            {"update_id":4,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":42,"is_bot":false,"first_name":"A"},
             "message":{"message_id":9,"from":{"id":100000,"is_bot":true,"first_name":"Bot"},"chat":{"id":42,"type":"private"},"date":1763719200,"text":"Pick a model",
                        "reply_markup":{"inline_keyboard":[[{"text":"Nano Banana","callback_data":"model:nano"}],[{"text":"Docs","url":"https://example.org"}]]}},
             "chat_instance":"-5480723493847","data":"model:nano"}}
            """);

        Assert.Equal(UpdateType.CallbackQuery, update.Type);
        Assert.Equal("model:nano", update.CallbackQuery!.Data);
        Assert.Equal("-5480723493847", update.CallbackQuery.ChatInstance);
        var rows = update.CallbackQuery.Message!.ReplyMarkup!.InlineKeyboard.Select(r => r.ToList()).ToList();
        Assert.Equal("https://example.org", rows[1][0].Url);
    }

    [Fact]
    public void Pre_checkout_and_successful_payment_updates_carry_the_payload_and_charge_id()
    {
        var checkout = Parse("""
            {"update_id":5,"pre_checkout_query":{"id":"1234567890123456789","from":{"id":42,"is_bot":false,"first_name":"A"},
             "currency":"XTR","total_amount":250,"invoice_payload":"topup:pack_250:7f3a"}}
            """);
        var paid = Parse("""
            {"update_id":6,"message":{"message_id":11,"from":{"id":42,"is_bot":false,"first_name":"A"},"chat":{"id":42,"type":"private"},"date":1763719260,
             "successful_payment":{"currency":"XTR","total_amount":250,"invoice_payload":"topup:pack_250:7f3a",
               "telegram_payment_charge_id":"stxAbCdEf0123","provider_payment_charge_id":""}}}
            """);

        Assert.Equal(UpdateType.PreCheckoutQuery, checkout.Type);
        Assert.Equal(250, checkout.PreCheckoutQuery!.TotalAmount);
        Assert.Equal("topup:pack_250:7f3a", checkout.PreCheckoutQuery.InvoicePayload);
        Assert.Equal("stxAbCdEf0123", paid.Message!.SuccessfulPayment!.TelegramPaymentChargeId);
        Assert.False(paid.Message.SuccessfulPayment.IsRecurring);
    }

    [Fact]
    public void My_chat_member_update_tells_the_user_blocked_the_bot()
    {
        var update = Parse("""
            {"update_id":7,"my_chat_member":{"chat":{"id":42,"first_name":"A","type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},
             "date":1763719300,
             "old_chat_member":{"user":{"id":100000,"is_bot":true,"first_name":"Bot","username":"nb_bot"},"status":"member"},
             "new_chat_member":{"user":{"id":100000,"is_bot":true,"first_name":"Bot","username":"nb_bot"},"status":"kicked","until_date":0}}}
            """);

        Assert.Equal(UpdateType.MyChatMember, update.Type);
        Assert.Equal(ChatMemberStatus.Member, update.MyChatMember!.OldChatMember.Status);
        Assert.Equal(ChatMemberStatus.Kicked, update.MyChatMember.NewChatMember.Status);
    }

    [Fact]
    public void Update_kinds_the_client_does_not_model_read_as_unknown()
    {
        // Telegram.Bot models message_reaction (our client did not): a kind newer than the library stands in.
        var update = Parse("""{"update_id":8,"future_update_kind":{"chat":{"id":42,"type":"private"},"message_id":3,"date":1763719300}}""");

        Assert.Equal(UpdateType.Unknown, update.Type);
        Assert.Equal(8, update.Id);
    }

    [Fact]
    public void Error_envelope_reads_retry_after()
    {
        var envelope = JsonSerializer.Deserialize(
            """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}""",
            JsonBotSerializerContext.Default.ApiResponse)!;

        Assert.False(envelope.Ok);
        Assert.Equal(429, envelope.ErrorCode);
        Assert.Equal(17, envelope.Parameters!.RetryAfter);
    }

    [Fact]
    public void Send_message_request_is_written_in_snake_case_without_unset_fields()
    {
        var request = new SendMessageRequest
        {
            ChatId = 42,
            Text = "Pick a model",
            ReplyMarkup = new InlineKeyboardMarkup(
            [
                [InlineKeyboardButton.WithCallbackData("Nano Banana", "model:nano")],
                [InlineKeyboardButton.WithWebApp("Open app", new WebAppInfo("https://app.example/"))],
            ]),
        };

        var json = Write(request);

        Assert.Equal(["chat_id", "reply_markup", "text"], json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(42, (long)json["chat_id"]!);
        Assert.Equal("Pick a model", (string?)json["text"]);
        Assert.Equal(
            """{"inline_keyboard":[[{"text":"Nano Banana","callback_data":"model:nano"}],[{"text":"Open app","web_app":{"url":"https://app.example/"}}]]}""",
            json["reply_markup"]!.ToJsonString());
    }

    [Fact]
    public void Reply_keyboard_removal_and_web_app_menu_button_are_written_as_telegram_expects()
    {
        var remove = Write(new SendMessageRequest { ChatId = "@channel", Text = "x", ReplyMarkup = new ReplyKeyboardRemove() });
        var menu = Write(new SetChatMenuButtonRequest { MenuButton = new MenuButtonWebApp { Text = "App", WebApp = new WebAppInfo("https://app.example/") } });

        Assert.Equal("@channel", (string?)remove["chat_id"]);
        Assert.Equal("""{"remove_keyboard":true}""", remove["reply_markup"]!.ToJsonString());
        Assert.Equal("""{"type":"web_app","text":"App","web_app":{"url":"https://app.example/"}}""", menu["menu_button"]!.ToJsonString());
    }

    [Fact]
    public async Task Album_with_uploads_goes_multipart_with_attach_references()
    {
        var request = new SendMediaGroupRequest
        {
            ChatId = 42,
            Media =
            [
                new InputMediaPhoto(InputFile.FromStream(new MemoryStream([1, 2, 3]), "a.png")) { Caption = "one" },
                new InputMediaPhoto(InputFile.FromFileId("AgAD-existing")),
            ],
        };

        using var content = Assert.IsType<MultipartFormDataContent>(request.ToHttpContent());
        var parts = content.ToDictionary(p => p.Headers.ContentDisposition!.Name!.Trim('"'));
        var media = JsonNode.Parse(await parts["media"].ReadAsStringAsync())!.AsArray();
        var attached = ((string)media[0]!["media"]!)["attach://".Length..];

        Assert.Equal("42", await parts["chat_id"].ReadAsStringAsync());
        Assert.StartsWith("attach://", (string)media[0]!["media"]!, StringComparison.Ordinal);
        Assert.Equal(("photo", "one"), ((string?)media[0]!["type"], (string?)media[0]!["caption"]));
        Assert.Equal("AgAD-existing", (string?)media[1]!["media"]);
        Assert.Equal([1, 2, 3], await parts[attached].ReadAsByteArrayAsync());
        Assert.Equal("a.png", parts[attached].Headers.ContentDisposition!.FileName?.Trim('"'));
    }

    [Fact]
    public void Requests_without_new_files_stay_json()
    {
        using var content = new SendPhotoRequest { ChatId = 42, Photo = InputFile.FromFileId("AgAD-existing") }.ToHttpContent()!;

        Assert.Equal("application/json", content.Headers.ContentType!.MediaType);
    }

    private static JsonObject Write<TRequest>(TRequest request) =>
        JsonSerializer.SerializeToNode(request, JsonBotAPI.Options)!.AsObject();
}
