namespace NanoBanana.Bot.Conversation;

/// <summary>🎞 Video tools: the uploaded video (Generation keeps it 24 h) and the options toggled on its card.</summary>
internal sealed class VideoToolsDraft
{
    public string UploadId { get; set; } = "";

    public double DurationSeconds { get; set; }

    public int BilledMinutes { get; set; }

    /// <summary>ISO 639-1; empty: no translation.</summary>
    public string TranslateTo { get; set; } = "";

    public bool VoiceOver { get; set; }

    /// <summary>With <see cref="VoiceOver"/>: the voice replaces the original sound instead of mixing over it.</summary>
    public bool ReplaceAudio { get; set; }

    /// <summary>The contract's CaptionStyle number; 0: not burned in.</summary>
    public int Captions { get; set; }

    /// <summary>The contract's Reframe number; 0: the source frame.</summary>
    public int Reframe { get; set; }

    /// <summary>The options card, edited in place as options are toggled.</summary>
    public int? CardMessageId { get; set; }
}
