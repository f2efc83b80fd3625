using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Domain;

/// <summary>
/// What a <see cref="GenerationKind.VideoTools"/> job has beyond its <see cref="GenerationJob"/> row: the
/// probed source, the user's choice, and the next step to run (artifacts of earlier steps are stored
/// under <see cref="WorkPrefix"/>, so a resumed job starts here).
/// </summary>
internal sealed class VideoToolsJob
{
    public Guid JobId { get; set; }

    public Guid UploadId { get; set; }

    public string SourceKey { get; set; } = string.Empty;

    public double DurationSeconds { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public bool HasAudio { get; set; }

    public int BilledMinutes { get; set; }

    /// <summary>ISO 639-1; empty: no translation.</summary>
    public string TranslateTo { get; set; } = string.Empty;

    public bool VoiceOver { get; set; }

    /// <summary>With <see cref="VoiceOver"/>: the voice replaces the original sound instead of mixing over it.</summary>
    public bool ReplaceAudio { get; set; }

    public CaptionStyle Captions { get; set; }

    public Reframe Reframe { get; set; }

    public bool Watermark { get; set; }

    /// <summary>Longest side of the rendered video, from the plan the job started under (ADR 0142).</summary>
    public int MaxOutputSide { get; set; }

    public VideoToolsStep NextStep { get; set; } = VideoToolsStep.ExtractingAudio;

    /// <summary>The language speech recognition heard (ISO 639-1, "" when unknown).</summary>
    public string SourceLanguage { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the retention sweep removed the source and the step artifacts.</summary>
    public DateTimeOffset? ArtifactsDeletedAt { get; set; }

    /// <summary>Anything to do to the picture or the sound; otherwise only the .srt files are delivered.</summary>
    public bool Renders => Captions != CaptionStyle.Unspecified || Reframe != Reframe.Unspecified || VoiceOver;

    public string WorkPrefix => $"work/{JobId:N}/";

    public string ArtifactKey(string name) => WorkPrefix + name;

    /// <summary>Every key a step may have written, for the retention sweep.</summary>
    public IEnumerable<string> ArtifactKeys => VideoToolsArtifacts.All.Select(ArtifactKey);
}

/// <summary>The names of the artifacts the steps store.</summary>
internal static class VideoToolsArtifacts
{
    public const string Audio = "audio.flac";
    public const string Transcript = "transcript.json";
    public const string Translation = "translation.json";
    public const string Voice = "voice.wav";
    public const string Rendered = "rendered.mp4";

    public static readonly string[] All = [Audio, Transcript, Translation, Voice, Rendered];
}

/// <summary>A user's video, probed and kept until it is used or the retention sweep deletes it (24 h).</summary>
internal sealed class UploadedVideo
{
    public Guid Id { get; set; }

    public long UserId { get; set; }

    public string StorageKey { get; set; } = string.Empty;

    public string FileName { get; set; } = string.Empty;

    public long SizeBytes { get; set; }

    public double DurationSeconds { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public bool HasAudio { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>What a price per started minute is multiplied by: 0:59 is one minute, 1:00.5 two.</summary>
    public static int StartedMinutes(double durationSeconds) => Math.Max(1, (int)Math.Ceiling((durationSeconds / 60) - 1e-9));

    public VideoUpload ToContract() => new()
    {
        UploadId = Id.ToString(),
        DurationSeconds = DurationSeconds,
        Width = Width,
        Height = Height,
        SizeBytes = SizeBytes,
        BilledMinutes = StartedMinutes(DurationSeconds),
    };
}
