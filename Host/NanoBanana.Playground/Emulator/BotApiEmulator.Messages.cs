using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Playground.Emulator;

/// <summary>Bot API methods that send, edit and delete messages.</summary>
internal sealed partial class BotApiEmulator
{
    private const int MaxTextLength = 4096;
    private const int MaxCaptionLength = 1024;
    private const int MaxCallbackDataBytes = 64;

    public Message SendMessage(BotApiArgs args)
    {
        var text = args.String("text") ?? "";
        if (text.Trim().Length == 0)
        {
            throw BotApiException.BadRequest("message text is empty");
        }

        if (text.Length > MaxTextLength)
        {
            throw BotApiException.BadRequest("message is too long");
        }

        var markup = ParseReplyMarkup(args.String("reply_markup"));
        lock (_gate)
        {
            var chat = BotTargetChat(args.ChatId());
            var message = NewMessage(chat, Bot);
            message.Text = text;
            Complete(chat, message, args, markup);
            return message;
        }
    }

    public Message EditMessageText(BotApiArgs args)
    {
        var text = args.String("text") ?? "";
        if (text.Trim().Length == 0)
        {
            throw BotApiException.BadRequest("message text is empty");
        }

        if (text.Length > MaxTextLength)
        {
            throw BotApiException.BadRequest("MESSAGE_TOO_LONG");
        }

        var markup = ParseInlineMarkup(args.String("reply_markup"));
        lock (_gate)
        {
            var stored = EditableMessage(args, "message to edit not found");
            if (stored.Message.Text is null)
            {
                throw BotApiException.BadRequest("there is no text in the message to edit");
            }

            if (stored.Message.Text == text && SameMarkup(stored.Message.ReplyMarkup, markup))
            {
                throw NotModified();
            }

            stored.PreviousTexts.Add(stored.Message.Text);
            stored.Message.Text = text;
            return Edited(stored, markup);
        }
    }

    public Message EditMessageReplyMarkup(BotApiArgs args)
    {
        var markup = ParseInlineMarkup(args.String("reply_markup"));
        lock (_gate)
        {
            var stored = EditableMessage(args, "message to edit not found");
            if (SameMarkup(stored.Message.ReplyMarkup, markup))
            {
                throw NotModified();
            }

            return Edited(stored, markup);
        }
    }

    public bool DeleteMessage(BotApiArgs args)
    {
        lock (_gate)
        {
            var chat = BotTargetChat(args.ChatId());
            var stored = chat.Find(args.Int("message_id") ?? 0) ?? throw BotApiException.BadRequest("message to delete not found");
            stored.Deleted = true;
            Changed();
            return true;
        }
    }

    public bool AnswerCallbackQuery(BotApiArgs args)
    {
        var id = args.RequiredString("callback_query_id");
        var text = args.String("text");
        if (text is { Length: > 200 })
        {
            throw BotApiException.BadRequest("MESSAGE_TOO_LONG");
        }

        lock (_gate)
        {
            if (!_callbacks.Remove(id, out var pending))
            {
                throw BotApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            }

            _chats[pending.UserId].CallbackAnswers.Add(new CallbackAnswer(id, pending.MessageId, text, args.Bool("show_alert"), args.String("url")));
            Changed();
            return true;
        }
    }

    public bool SendChatAction(BotApiArgs args)
    {
        ChatAction action;
        try
        {
            action = JsonSerializer.Deserialize(JsonSerializer.Serialize(args.RequiredString("action"), JsonBotSerializerContext.Default.String), JsonBotSerializerContext.Default.ChatAction);
        }
        catch (JsonException)
        {
            action = default;
        }

        // Telegram.Bot reads an unknown action as 0, which names no action.
        if (!Enum.IsDefined(action))
        {
            throw BotApiException.BadRequest("wrong parameter action in request");
        }

        lock (_gate)
        {
            BotTargetChat(args.ChatId()).LastAction = action;
            Changed();
            return true;
        }
    }

    private void Complete(ChatState chat, Message message, BotApiArgs args, ReplyMarkup? markup, InvoiceDraft? invoice = null)
    {
        if (args.ReplyParameters() is { } reply)
        {
            message.ReplyToMessage = chat.Find(reply.MessageId ?? 0)?.Message
                ?? (reply.AllowSendingWithoutReply ? null : throw BotApiException.BadRequest("message to be replied not found"));
        }

        switch (markup)
        {
            case InlineKeyboardMarkup inline:
                message.ReplyMarkup = inline;
                break;
            case ReplyKeyboardMarkup keyboard:
                chat.ReplyKeyboard = keyboard;
                break;
            case ReplyKeyboardRemove:
                chat.ReplyKeyboard = null;
                break;
        }

        AddMessage(chat, message, fromBot: true, invoice);
        Changed();
    }

    private StoredMessage EditableMessage(BotApiArgs args, string notFound)
    {
        if (args.String("inline_message_id") is not null)
        {
            throw BotApiException.BadRequest("inline messages are not emulated");
        }

        var chat = BotTargetChat(args.ChatId());
        var stored = chat.Find(args.Int("message_id") ?? 0) ?? throw BotApiException.BadRequest(notFound);
        return stored.FromBot ? stored : throw BotApiException.BadRequest("message can't be edited");
    }

    private Message Edited(StoredMessage stored, InlineKeyboardMarkup? markup)
    {
        stored.Message.ReplyMarkup = markup;
        stored.Message.EditDate = Now;
        stored.EditCount++;
        Changed();
        return stored.Message;
    }

    private static BotApiException NotModified() => BotApiException.BadRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");

    private static bool SameMarkup(InlineKeyboardMarkup? left, InlineKeyboardMarkup? right) =>
        (left is null && right is null) || (left is not null && right is not null && SameJson(left, right, JsonBotSerializerContext.Default.InlineKeyboardMarkup));

    private static InlineKeyboardMarkup? ParseInlineMarkup(string? json) => ParseReplyMarkup(json) switch
    {
        null => null,
        InlineKeyboardMarkup inline => inline,
        _ => throw BotApiException.BadRequest("inline keyboard expected"),
    };

    /// <summary>reply_markup has no discriminator: the keyboard kind is told by which field it has.</summary>
    private static ReplyMarkup? ParseReplyMarkup(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(json) as JsonObject ?? throw BotApiException.BadRequest("can't parse reply keyboard markup JSON object");
            if (node.ContainsKey("inline_keyboard"))
            {
                var inline = node.Deserialize(JsonBotSerializerContext.Default.InlineKeyboardMarkup)!;
                ValidateInline(inline);
                return inline;
            }

            if (node["keyboard"] is JsonArray rows)
            {
                // The Bot API also takes a plain string for a text-only button.
                foreach (var row in rows.OfType<JsonArray>())
                {
                    for (var i = 0; i < row.Count; i++)
                    {
                        if (row[i] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                        {
                            row[i] = new JsonObject { ["text"] = text.GetValue<string>() };
                        }
                    }
                }

                return node.Deserialize(JsonBotSerializerContext.Default.ReplyKeyboardMarkup);
            }

            if (node.ContainsKey("remove_keyboard"))
            {
                return node.Deserialize(JsonBotSerializerContext.Default.ReplyKeyboardRemove);
            }

            throw BotApiException.BadRequest("can't parse reply keyboard markup JSON object");
        }
        catch (JsonException)
        {
            throw BotApiException.BadRequest("can't parse reply keyboard markup JSON object");
        }
    }

    private static void ValidateInline(InlineKeyboardMarkup markup)
    {
        foreach (var (row, rowIndex) in markup.InlineKeyboard.Select((r, i) => (r, i)))
        {
            foreach (var (button, columnIndex) in row.Select((b, i) => (b, i)))
            {
                if (button.CallbackData is { } data && Utf8Length(data) is 0 or > MaxCallbackDataBytes)
                {
                    throw BotApiException.BadRequest("BUTTON_DATA_INVALID");
                }

                var actions = (button.Url is null ? 0 : 1) + (button.CallbackData is null ? 0 : 1) + (button.WebApp is null ? 0 : 1) + (button.Pay ? 1 : 0);
                if (actions != 1)
                {
                    throw BotApiException.BadRequest("can't parse inline keyboard button: exactly one of url, callback_data, web_app or pay is required");
                }

                // Telegram resolves nothing: a relative link is refused (the playground allows http for its local pages).
                if (button.Url is { } url && !IsHttpUrl(url))
                {
                    throw BotApiException.BadRequest($"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL");
                }

                if (button.WebApp is { } app && !IsHttpUrl(app.Url))
                {
                    throw BotApiException.BadRequest($"inline keyboard button Web App URL '{app.Url}' is invalid: Wrong HTTP URL");
                }

                if (button.Pay && (rowIndex, columnIndex) != (0, 0))
                {
                    throw BotApiException.BadRequest("pay button must be the first button in the first row");
                }
            }
        }
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" && parsed.Host.Length > 0;
}
