using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoBanana.Bot.Replies;

/// <summary>Which Bot API call an outgoing row makes.</summary>
internal enum OutKind
{
    SendText,
    EditText,
    AnswerCallback,
    SendPhoto,
    SendDocument,
    SendVideo,
    SendInvoice,
}

/// <summary>
/// One persisted outgoing call. Kept independent of the Bot API client's request types so the
/// stored JSON stays stable; the sender turns it into the typed request.
/// </summary>
internal sealed record OutMessage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required OutKind Kind { get; init; }

    public string? Text { get; init; }

    public InlineButton[][]? Inline { get; init; }

    /// <summary>A reply keyboard to install (menu); null leaves the current one.</summary>
    public ReplyButton[][]? Reply { get; init; }

    /// <summary>Edits: the message; null with a slot means the slot's message.</summary>
    public int? MessageId { get; init; }

    public string? CallbackQueryId { get; init; }

    public bool ShowAlert { get; init; }

    /// <summary>A file to send: a Telegram file_id, or a URL (rows queued before <see cref="Result"/> existed).</summary>
    public string? File { get; init; }

    /// <summary>A generated file: sent by its stored file_id, else uploaded by the sender.</summary>
    public ResultFile? Result { get; init; }

    public string? FileName { get; init; }

    public InvoiceSpec? Invoice { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static OutMessage FromJson(string json) => JsonSerializer.Deserialize<OutMessage>(json, Json)!;
}

internal sealed record InlineButton(string Text, string? Data = null, string? Url = null, string? WebApp = null, bool Pay = false);

internal sealed record ReplyButton(string Text, string? WebApp = null);

/// <summary>
/// A generated file (Generation's <c>MediaRef</c>) as the sender needs it: what to fetch from the
/// Host's media endpoint, how big it is, the name the user sees, and the job it belongs to.
/// <see cref="Preview"/>: a photo of an image too large for one, so the sender uploads a scaled-down copy.
/// </summary>
internal sealed record ResultFile(string JobId, string MediaId, string DownloadPath, long SizeBytes, string FileName, bool Preview = false);

internal sealed record InvoiceSpec(string Title, string Description, string Payload, string Currency, string Label, int Amount);
