using System.ComponentModel.DataAnnotations;

namespace NanoBanana.Bot;

/// <summary>Configuration section <c>Telegram</c>: how the bot reaches the Bot API and how updates reach it.</summary>
internal sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>Empty: the bot is off (the Host starts the playground instead when run by <c>./nb run</c>).</summary>
    public string BotToken { get; set; } = "";

    /// <summary>Public HTTPS URL of <c>/telegram/webhook</c>; empty means long polling.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>Expected in <c>X-Telegram-Bot-Api-Secret-Token</c>; empty disables the check (long polling only).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Empty: https://api.telegram.org.</summary>
    public string ApiBaseUrl { get; set; } = "";
}

/// <summary>Configuration section <c>Bot</c>: behaviour of the adapter.</summary>
internal sealed class BotOptions : IValidatableObject
{
    public const string Section = "Bot";

    /// <summary>The Mini App page; empty: <c>/app/</c> on the Host's HTTP endpoint.</summary>
    public string MiniAppUrl { get; set; } = "";

    /// <summary>Telegram user ids allowed to run admin commands; they also receive alerts.</summary>
    public long[] AdminIds { get; set; } = [];

    /// <summary>Scales the preview photo of an image too large for a Telegram photo (sent as a file).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Update workers per Host (each works one chat at a time); 0 makes an ingest-only replica.</summary>
    [Range(0, 256)]
    public int UpdateWorkers { get; set; } = 4;

    /// <summary>Attempts of a failing update before it is parked and admins are alerted.</summary>
    [Range(1, 100)]
    public int MaxUpdateAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan UpdatePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a claimed chat stays with its update worker; renewed every third of it while the step runs.
    /// A replica that dies mid-step holds its chats this long before another replica takes them over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ChatLease { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages per second across all chats (Telegram: about 30). With several replicas, divide.</summary>
    [Range(0.1, 100_000.0)]
    public double GlobalMessagesPerSecond { get; set; } = 30;

    /// <summary>Messages per second to one chat (Telegram: about 1, short bursts tolerated).</summary>
    [Range(0.01, 100.0)]
    public double ChatMessagesPerSecond { get; set; } = 1;

    /// <summary>Burst allowed to one chat before the per-chat rate applies.</summary>
    [Range(1, 100)]
    public int ChatBurst { get; set; } = 3;

    /// <summary>At most one progress edit per message in this interval; the latest text wins.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a running job's progress message shows the new elapsed time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProgressTickInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts of an outgoing call (other than 429, which waits and does not count) before it is dropped.</summary>
    [Range(1, 100)]
    public int MaxSendAttempts { get; set; } = 8;

    /// <summary>
    /// How long a claimed outgoing call stays with its sender: a replica that dies mid-send holds its calls
    /// this long before another replica sends them. Longer than any single call may take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutboundLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Long-poll seconds for getUpdates.</summary>
    [Range(0, 50)]
    public int PollTimeoutSeconds { get; set; } = 25;

    /// <summary>"Today" in /stats starts at 00:00 in this time zone (an IANA id such as Europe/Moscow).</summary>
    public string StatsTimeZone { get; set; } = "UTC";

    /// <summary>
    /// Broadcast messages queued per second; below <see cref="GlobalMessagesPerSecond"/> so interactive
    /// replies keep the rest of the global rate while a broadcast runs.
    /// </summary>
    [Range(0.1, 100_000.0)]
    public double BroadcastMessagesPerSecond { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(StatsTimeZone, out _))
        {
            yield return new ValidationResult("is not a known time zone id (e.g. Europe/Moscow)", [nameof(StatsTimeZone)]);
        }
    }
}
