using System.Text.Json.Serialization;
using NanoBanana.Telegram.Types;
using NanoBanana.Telegram.Types.Payments;
using NanoBanana.Telegram.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Requests;

public sealed class GetMeRequest() : RequestBase<User>("getMe");

public sealed class GetUpdatesRequest() : RequestBase<Update[]>("getUpdates")
{
    public int? Offset { get; set; }

    public int? Limit { get; set; }

    /// <summary>Long-poll seconds; 0 is short polling.</summary>
    public int? Timeout { get; set; }

    public IEnumerable<UpdateType>? AllowedUpdates { get; set; }

    [JsonIgnore]
    public override TimeSpan ServerHoldTime => TimeSpan.FromSeconds(Timeout ?? 0);
}

public sealed class SetWebhookRequest() : RequestBase<bool>("setWebhook")
{
    public string Url { get; set; } = "";

    public string? IpAddress { get; set; }

    public int? MaxConnections { get; set; }

    public IEnumerable<UpdateType>? AllowedUpdates { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DropPendingUpdates { get; set; }

    /// <summary>1-256 chars of A-Z a-z 0-9 _ -; sent back in X-Telegram-Bot-Api-Secret-Token.</summary>
    public string? SecretToken { get; set; }
}

public sealed class DeleteWebhookRequest() : RequestBase<bool>("deleteWebhook")
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DropPendingUpdates { get; set; }
}

public sealed class GetWebhookInfoRequest() : RequestBase<WebhookInfo>("getWebhookInfo");

public sealed class SendMessageRequest() : RequestBase<Message>("sendMessage")
{
    public ChatId ChatId { get; set; } = null!;

    public string Text { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }

    public ReplyParameters? ReplyParameters { get; set; }

    public ReplyMarkup? ReplyMarkup { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DisableNotification { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ProtectContent { get; set; }

    /// <summary>Up to 1000 msg/s at 0.1 Star per message.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AllowPaidBroadcast { get; set; }
}

public sealed class EditMessageTextRequest() : RequestBase<Message>("editMessageText")
{
    public ChatId ChatId { get; set; } = null!;

    public int MessageId { get; set; }

    public string Text { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }

    public InlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class EditMessageReplyMarkupRequest() : RequestBase<Message>("editMessageReplyMarkup")
{
    public ChatId ChatId { get; set; } = null!;

    public int MessageId { get; set; }

    public InlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class DeleteMessageRequest() : RequestBase<bool>("deleteMessage")
{
    public ChatId ChatId { get; set; } = null!;

    public int MessageId { get; set; }
}

public sealed class AnswerCallbackQueryRequest() : RequestBase<bool>("answerCallbackQuery")
{
    public string CallbackQueryId { get; set; } = "";

    public string? Text { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ShowAlert { get; set; }

    public string? Url { get; set; }

    public int? CacheTime { get; set; }
}

public sealed class SendPhotoRequest() : FileRequestBase<Message>("sendPhoto")
{
    public ChatId ChatId { get; set; } = null!;

    public InputFile Photo { get; set; } = null!;

    public string? Caption { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }

    public ReplyParameters? ReplyParameters { get; set; }

    public ReplyMarkup? ReplyMarkup { get; set; }

    private protected override IEnumerable<(string Field, InputFile? File)> TopLevelFiles => [("photo", Photo)];
}

public sealed class SendDocumentRequest() : FileRequestBase<Message>("sendDocument")
{
    public ChatId ChatId { get; set; } = null!;

    public InputFile Document { get; set; } = null!;

    public InputFile? Thumbnail { get; set; }

    public string? Caption { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }

    public ReplyParameters? ReplyParameters { get; set; }

    public ReplyMarkup? ReplyMarkup { get; set; }

    private protected override IEnumerable<(string Field, InputFile? File)> TopLevelFiles => [("document", Document), ("thumbnail", Thumbnail)];
}

public sealed class SendVideoRequest() : FileRequestBase<Message>("sendVideo")
{
    public ChatId ChatId { get; set; } = null!;

    public InputFile Video { get; set; } = null!;

    public int? Duration { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public InputFile? Thumbnail { get; set; }

    public string? Caption { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }

    public bool? SupportsStreaming { get; set; }

    public ReplyParameters? ReplyParameters { get; set; }

    public ReplyMarkup? ReplyMarkup { get; set; }

    private protected override IEnumerable<(string Field, InputFile? File)> TopLevelFiles => [("video", Video), ("thumbnail", Thumbnail)];
}

/// <summary>An album of 2-10 items; each comes back as its own message sharing one media_group_id.</summary>
public sealed class SendMediaGroupRequest() : FileRequestBase<Message[]>("sendMediaGroup")
{
    public ChatId ChatId { get; set; } = null!;

    public IEnumerable<InputMedia> Media { get; set; } = [];

    public ReplyParameters? ReplyParameters { get; set; }

    private protected override IEnumerable<InputFile?> AttachedFiles => Media.Select(m => m.Media);
}

public sealed class SendChatActionRequest() : RequestBase<bool>("sendChatAction")
{
    public ChatId ChatId { get; set; } = null!;

    public ChatAction Action { get; set; }
}

public sealed class GetFileRequest() : RequestBase<TGFile>("getFile")
{
    public string FileId { get; set; } = "";
}

public sealed class SetMyCommandsRequest() : RequestBase<bool>("setMyCommands")
{
    public IEnumerable<BotCommand> Commands { get; set; } = [];

    public string? LanguageCode { get; set; }
}

public sealed class SetChatMenuButtonRequest() : RequestBase<bool>("setChatMenuButton")
{
    /// <summary>Omitted: changes the bot's default menu button.</summary>
    public long? ChatId { get; set; }

    public MenuButton? MenuButton { get; set; }
}

public sealed class SendInvoiceRequest() : RequestBase<Message>("sendInvoice")
{
    public ChatId ChatId { get; set; } = null!;

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>1-128 bytes, not shown to the user.</summary>
    public string Payload { get; set; } = "";

    /// <summary>Empty for Telegram Stars.</summary>
    public string? ProviderToken { get; set; }

    public string Currency { get; set; } = "";

    public IEnumerable<LabeledPrice> Prices { get; set; } = [];

    public string? StartParameter { get; set; }

    public string? PhotoUrl { get; set; }

    public InlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class CreateInvoiceLinkRequest() : RequestBase<string>("createInvoiceLink")
{
    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public string Payload { get; set; } = "";

    public string? ProviderToken { get; set; }

    public string Currency { get; set; } = "";

    public IEnumerable<LabeledPrice> Prices { get; set; } = [];

    /// <summary>Seconds; must be 2592000 (30 days) when set, Stars only.</summary>
    public int? SubscriptionPeriod { get; set; }

    public string? PhotoUrl { get; set; }
}

/// <summary>Must reach Telegram within 10 s of the pre_checkout_query, or the payment fails.</summary>
public sealed class AnswerPreCheckoutQueryRequest() : RequestBase<bool>("answerPreCheckoutQuery")
{
    public string PreCheckoutQueryId { get; set; } = "";

    public bool Ok { get; set; }

    public string? ErrorMessage { get; set; }
}

public sealed class RefundStarPaymentRequest() : RequestBase<bool>("refundStarPayment")
{
    public long UserId { get; set; }

    public string TelegramPaymentChargeId { get; set; } = "";
}
