using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Playground.Emulator;

internal sealed class PlaygroundUser
{
    public required User User { get; init; }

    public int Stars { get; set; }

    public bool BlockedBot { get; set; }
}

internal sealed class ChatState(Chat chat)
{
    public Chat Chat { get; } = chat;

    public List<StoredMessage> Messages { get; } = [];

    public int NextMessageId { get; set; } = 1;

    /// <summary>The keyboard the last bot message installed, until a ReplyKeyboardRemove.</summary>
    public ReplyKeyboardMarkup? ReplyKeyboard { get; set; }

    public List<CallbackAnswer> CallbackAnswers { get; } = [];

    public ChatAction? LastAction { get; set; }

    public MenuButton? MenuButton { get; set; }

    public StoredMessage? Find(int messageId) => Messages.Find(m => m.Message.Id == messageId && !m.Deleted);
}

internal sealed class StoredMessage(Message message, bool fromBot)
{
    public Message Message { get; } = message;

    public bool FromBot { get; } = fromBot;

    public int EditCount { get; set; }

    /// <summary>The texts an edit replaced, oldest first: what the user saw before (progress steps, for tests).</summary>
    public List<string> PreviousTexts { get; } = [];

    public bool Deleted { get; set; }

    /// <summary>What a sendInvoice message sells; null for other messages.</summary>
    public InvoiceDraft? Invoice { get; init; }

    /// <summary>How the bot passed the file of a media message (<see cref="FileSources"/>); null for other messages.</summary>
    public string? FileSource { get; set; }

    /// <summary>When the emulator took the message (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for latency splits.</summary>
    public long ArrivedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>When the update carrying a user's message was first handed to the bot; null before (and for the bot's messages).</summary>
    public long? DeliveredAt { get; set; }
}

/// <summary>How a bot named a file it sent: uploaded bytes, a URL the server fetched, or a file_id it already had.</summary>
internal static class FileSources
{
    public const string Upload = "upload";
    public const string Url = "url";
    public const string FileId = "file_id";
}

internal sealed record InvoiceDraft(string Title, string Description, string Payload, string Currency, int Amount, int? SubscriptionPeriod);

internal sealed record CallbackAnswer(string CallbackQueryId, int MessageId, string? Text, bool ShowAlert, string? Url);

internal sealed class PendingCallback(long userId, int messageId)
{
    public long UserId { get; } = userId;

    public int MessageId { get; } = messageId;
}

internal sealed record Charge(string ChargeId, long UserId, InvoiceDraft Invoice)
{
    public bool Refunded { get; set; }

    /// <summary>The subscription this charge paid a period of (first payment or renewal); null for one-off invoices.</summary>
    public StarSubscription? Subscription { get; init; }
}

/// <summary>A user's Stars subscription: renewed by the playground on demand, cancelled and re-enabled by the bot.</summary>
internal sealed class StarSubscription(string firstChargeId, long userId, InvoiceDraft invoice, DateTime expiresAt)
{
    public string FirstChargeId { get; } = firstChargeId;

    public long UserId { get; } = userId;

    public InvoiceDraft Invoice { get; } = invoice;

    public DateTime ExpiresAt { get; set; } = expiresAt;

    /// <summary>editUserStarSubscription is_canceled=true: no renewals until the bot re-enables it.</summary>
    public bool CanceledByBot { get; set; }

    /// <summary>The user cancelled it in Telegram (a `subscription` update "canceled"): no renewals until they re-enable it.</summary>
    public bool CanceledByUser { get; set; }
}

internal sealed class StoredFile
{
    public required string FileId { get; init; }

    public required string FileUniqueId { get; init; }

    public required string FilePath { get; init; }

    public required byte[] Content { get; init; }

    public string? FileName { get; init; }

    public required string MimeType { get; init; }
}

internal sealed class PendingUpdate(Update update, int deliveries, StoredMessage? carries)
{
    public Update Update { get; } = update;

    /// <summary>The user's message this update carries, stamped when first delivered; null for other updates.</summary>
    public StoredMessage? Carries { get; } = carries;

    /// <summary>Deliveries still owed: 2 when duplicate delivery is injected.</summary>
    public int RemainingDeliveries { get; set; } = deliveries;
}

internal sealed class WebhookState
{
    public required string Url { get; init; }

    public string? SecretToken { get; init; }

    public int MaxConnections { get; init; } = 40;

    public DateTime? LastErrorDate { get; set; }

    public string? LastErrorMessage { get; set; }
}

/// <summary>Injected faults, set through the control API.</summary>
public sealed class FaultSettings
{
    /// <summary>How many upcoming Bot API calls answer 429.</summary>
    public int FloodCount { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Delay before answering every Bot API call.</summary>
    public int DelayMilliseconds { get; set; }

    /// <summary>Deliver every new update twice.</summary>
    public bool DuplicateDeliveries { get; set; }

    /// <summary>Bot API calls answered 429 so far.</summary>
    public int FloodRejections { get; set; }

    /// <summary>File downloads (<c>/file/bot…</c>) wait until this is switched off: a stalled Telegram file server.</summary>
    public bool HoldDownloads { get; set; }

    /// <summary>Downloads waiting under <see cref="HoldDownloads"/> right now.</summary>
    public int DownloadsHeld { get; set; }
}
