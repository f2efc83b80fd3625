using System.Text.Json.Serialization;
using NanoBanana.Telegram.Serialization;
using NanoBanana.Telegram.Types.Payments;
using NanoBanana.Telegram.Types.ReplyMarkups;

namespace NanoBanana.Telegram.Types;

public sealed class Message
{
    [JsonPropertyName("message_id")]
    public int Id { get; set; }

    public User? From { get; set; }

    [JsonConverter(typeof(UnixDateTimeConverter))]
    public DateTime Date { get; set; }

    public Chat Chat { get; set; } = new();

    [JsonConverter(typeof(NullableUnixDateTimeConverter))]
    public DateTime? EditDate { get; set; }

    public Message? ReplyToMessage { get; set; }

    public string? MediaGroupId { get; set; }

    public string? Text { get; set; }

    public string? Caption { get; set; }

    /// <summary>One entry per size, smallest first; the last is the largest.</summary>
    public PhotoSize[]? Photo { get; set; }

    public Document? Document { get; set; }

    public Video? Video { get; set; }

    public Invoice? Invoice { get; set; }

    public SuccessfulPayment? SuccessfulPayment { get; set; }

    public RefundedPayment? RefundedPayment { get; set; }

    public WebAppData? WebAppData { get; set; }

    public InlineKeyboardMarkup? ReplyMarkup { get; set; }
}

public sealed class WebAppData
{
    public string Data { get; set; } = "";

    public string ButtonText { get; set; } = "";
}

/// <summary>Which message to reply to.</summary>
public sealed class ReplyParameters
{
    public int MessageId { get; set; }

    public ChatId? ChatId { get; set; }

    public bool? AllowSendingWithoutReply { get; set; }

    public static implicit operator ReplyParameters(int messageId) => new() { MessageId = messageId };
}

/// <summary>Extra details of an error response.</summary>
public sealed class ResponseParameters
{
    public long? MigrateToChatId { get; set; }

    /// <summary>Seconds to wait before repeating the request (flood control).</summary>
    public int? RetryAfter { get; set; }
}

public sealed class BotCommand
{
    public string Command { get; set; } = "";

    public string Description { get; set; } = "";
}

public sealed class WebAppInfo
{
    public string Url { get; set; } = "";
}

public sealed class WebhookInfo
{
    public string Url { get; set; } = "";

    public bool HasCustomCertificate { get; set; }

    public int PendingUpdateCount { get; set; }

    public string? IpAddress { get; set; }

    [JsonConverter(typeof(NullableUnixDateTimeConverter))]
    public DateTime? LastErrorDate { get; set; }

    public string? LastErrorMessage { get; set; }

    public int? MaxConnections { get; set; }

    public UpdateType[]? AllowedUpdates { get; set; }
}

/// <summary>The bot's menu button; the JSON <c>type</c> field selects the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(MenuButtonCommands), "commands")]
[JsonDerivedType(typeof(MenuButtonDefault), "default")]
[JsonDerivedType(typeof(MenuButtonWebApp), "web_app")]
public abstract class MenuButton;

public sealed class MenuButtonCommands : MenuButton;

public sealed class MenuButtonDefault : MenuButton;

public sealed class MenuButtonWebApp : MenuButton
{
    public string Text { get; set; } = "";

    public WebAppInfo WebApp { get; set; } = new();
}
