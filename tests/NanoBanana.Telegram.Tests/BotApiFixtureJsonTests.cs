using System.Text.Json;
using NanoBanana.Telegram.Requests;
using NanoBanana.Telegram.Serialization;
using NanoBanana.Telegram.Types;
using NanoBanana.Telegram.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Tests;

/// <summary>Handwritten JSON in the shapes the Bot API documentation gives, read and written by the client types.</summary>
public sealed class BotApiFixtureJsonTests
{
    private static Update Parse(string json) => JsonSerializer.Deserialize(json, TelegramJsonContext.Default.Update)!;

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
        var update = Parse("""{"update_id":8,"message_reaction":{"chat":{"id":42,"type":"private"},"message_id":3,"date":1763719300,"old_reaction":[],"new_reaction":[]}}""");

        Assert.Equal(UpdateType.Unknown, update.Type);
        Assert.Equal(8, update.Id);
    }

    [Fact]
    public void Error_envelope_reads_retry_after()
    {
        var envelope = JsonSerializer.Deserialize(
            """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}""",
            TelegramJsonContext.Default.ApiResponseMessage)!;

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
            ParseMode = ParseMode.Html,
            ReplyMarkup = new InlineKeyboardMarkup(
            [
                [InlineKeyboardButton.WithCallbackData("Nano Banana", "model:nano")],
                [InlineKeyboardButton.WithWebApp("Open app", "https://app.example/")],
            ]),
        };

        var json = JsonSerializer.Serialize(request, TelegramJsonContext.Default.SendMessageRequest);

        Assert.Equal(
            """{"chat_id":42,"text":"Pick a model","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"Nano Banana","callback_data":"model:nano"}],[{"text":"Open app","web_app":{"url":"https://app.example/"}}]]}}""",
            json);
    }

    [Fact]
    public void Reply_keyboard_removal_and_web_app_menu_button_are_written_as_telegram_expects()
    {
        var remove = JsonSerializer.Serialize(new SendMessageRequest { ChatId = "@channel", Text = "x", ReplyMarkup = new ReplyKeyboardRemove() }, TelegramJsonContext.Default.SendMessageRequest);
        var menu = JsonSerializer.Serialize(
            new SetChatMenuButtonRequest { MenuButton = new MenuButtonWebApp { Text = "App", WebApp = new WebAppInfo { Url = "https://app.example/" } } },
            TelegramJsonContext.Default.SetChatMenuButtonRequest);

        Assert.Equal("""{"chat_id":"@channel","text":"x","reply_markup":{"remove_keyboard":true}}""", remove);
        Assert.Equal("""{"menu_button":{"type":"web_app","text":"App","web_app":{"url":"https://app.example/"}}}""", menu);
    }

    [Fact]
    public void Callback_data_over_64_bytes_is_refused_before_sending()
    {
        var cyrillic = new string('ж', 33); // 66 bytes in UTF-8, 33 chars

        Assert.Throws<ArgumentException>(() => InlineKeyboardButton.WithCallbackData("x", cyrillic));
        Assert.Throws<ArgumentException>(() => InlineKeyboardButton.WithCallbackData("x", ""));
        Assert.Equal(new string('a', 64), InlineKeyboardButton.WithCallbackData("x", new string('a', 64)).CallbackData);
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

        Assert.Equal(["file0", "chat_id", "media"], parts.Keys);
        Assert.Equal("42", await parts["chat_id"].ReadAsStringAsync());
        Assert.Equal(
            """[{"type":"photo","media":"attach://file0","caption":"one"},{"type":"photo","media":"AgAD-existing"}]""",
            await parts["media"].ReadAsStringAsync());
        Assert.Equal([1, 2, 3], await parts["file0"].ReadAsByteArrayAsync());
    }

    [Fact]
    public void Requests_without_new_files_stay_json()
    {
        using var content = new SendPhotoRequest { ChatId = 42, Photo = "AgAD-existing" }.ToHttpContent();

        Assert.Equal("application/json", content.Headers.ContentType!.MediaType);
    }
}
