using System.Text.Json;

namespace NanoBanana.Bot.Conversation;

/// <summary>What a flow remembers between updates; stored as JSON in <c>bot.chats.data</c>.</summary>
internal sealed class ChatData
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ChatData FromJson(string json) => JsonSerializer.Deserialize<ChatData>(json, Json) ?? new ChatData();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string? ModelSlug { get; set; }

    /// <summary>"text" or "images" (image flows: text→image or remix; video flows: text→video or image→video), or "references" (video featuring reference photos).</summary>
    public string? Source { get; set; }

    public List<string> Photos { get; set; } = [];

    /// <summary>The album being collected and the slot of its "k/N received" message.</summary>
    public string? AlbumSlot { get; set; }

    public int AlbumRefused { get; set; }

    public string? Prompt { get; set; }

    public string? AspectRatio { get; set; }

    /// <summary>The output size picked on the confirmation card; null: the model's default.</summary>
    public string? Resolution { get; set; }

    public int DurationSeconds { get; set; }

    /// <summary>Images per request picked on the confirmation card (Imagen); 0: one.</summary>
    public int ImageCount { get; set; }

    /// <summary>Image→video: the photo the clip ends on (file_id), when the model takes a last frame.</summary>
    public string? LastFrame { get; set; }

    public bool Audio { get; set; }

    public long PriceCredits { get; set; }

    /// <summary>A number bumped for each new draft, so a stale confirm button cannot start a second job.</summary>
    public int Draft { get; set; }

    /// <summary>👗 Try-on: the zone picked (GenerationKind.TryOn's TryOnZone number); the person and garment are <see cref="Photos"/>.</summary>
    public int TryOnZone { get; set; }

    /// <summary>🎞 Video tools: the uploaded video and the options chosen on its card.</summary>
    public VideoToolsDraft? VideoTools { get; set; }

    /// <summary>/broadcast: the drafted text (or photo caption) and photo file_id, as recipients will get them.</summary>
    public string? BroadcastText { get; set; }

    public string? BroadcastPhoto { get; set; }

    /// <summary>💡 Prompt assistant: the variants of its last answer, and whether the next idea starts a new conversation.</summary>
    public List<string> AssistantVariants { get; set; } = [];

    public bool AssistantNewConversation { get; set; }

    /// <summary>✏️ Edit: the job whose result the draft edits (its image is the draft's one photo).</summary>
    public string? ParentJobId { get; set; }
}
