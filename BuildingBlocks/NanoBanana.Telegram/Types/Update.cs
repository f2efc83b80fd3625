using System.Text.Json.Serialization;
using NanoBanana.Telegram.Types.Payments;

namespace NanoBanana.Telegram.Types;

/// <summary>An incoming update; at most one of the optional parts is present.</summary>
public sealed class Update
{
    [JsonPropertyName("update_id")]
    public int Id { get; set; }

    public Message? Message { get; set; }

    public Message? EditedMessage { get; set; }

    public CallbackQuery? CallbackQuery { get; set; }

    public PreCheckoutQuery? PreCheckoutQuery { get; set; }

    public ChatMemberUpdated? MyChatMember { get; set; }

    [JsonIgnore]
    public UpdateType Type => this switch
    {
        { Message: not null } => UpdateType.Message,
        { EditedMessage: not null } => UpdateType.EditedMessage,
        { CallbackQuery: not null } => UpdateType.CallbackQuery,
        { PreCheckoutQuery: not null } => UpdateType.PreCheckoutQuery,
        { MyChatMember: not null } => UpdateType.MyChatMember,
        _ => UpdateType.Unknown,
    };
}

public sealed class User
{
    public long Id { get; set; }

    public bool IsBot { get; set; }

    public string FirstName { get; set; } = "";

    public string? LastName { get; set; }

    public string? Username { get; set; }

    public string? LanguageCode { get; set; }

    public bool? IsPremium { get; set; }
}

public sealed class Chat
{
    public long Id { get; set; }

    public ChatType Type { get; set; }

    public string? Title { get; set; }

    public string? Username { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }
}

public sealed class CallbackQuery
{
    public string Id { get; set; } = "";

    public User From { get; set; } = new();

    public Message? Message { get; set; }

    public string? InlineMessageId { get; set; }

    public string ChatInstance { get; set; } = "";

    public string? Data { get; set; }

    public string? GameShortName { get; set; }
}

/// <summary>The bot's membership in a chat changed; in private chats: the user blocked or unblocked the bot.</summary>
public sealed class ChatMemberUpdated
{
    public Chat Chat { get; set; } = new();

    public User From { get; set; } = new();

    [JsonConverter(typeof(Serialization.UnixDateTimeConverter))]
    public DateTime Date { get; set; }

    public ChatMember OldChatMember { get; set; } = new();

    public ChatMember NewChatMember { get; set; } = new();
}

/// <summary>
/// Flattened chat member: Telegram.Bot models one subclass per status; the product only needs the
/// status and the user.
/// </summary>
public sealed class ChatMember
{
    public ChatMemberStatus Status { get; set; }

    public User User { get; set; } = new();
}
