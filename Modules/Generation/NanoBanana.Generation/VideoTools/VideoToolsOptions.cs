namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// Configuration section <c>Generation:VideoTools</c>: the limits (one default set until plans exist),
/// the ffmpeg guard rails and the speech models.
/// </summary>
internal sealed class VideoToolsOptions
{
    /// <summary>The Bot API hands bots files of at most 20 MB.</summary>
    public long MaxInputBytes { get; set; } = 20L * 1024 * 1024;

    public int MaxDurationSeconds { get; set; } = 300;

    /// <summary>Longest side of the source picture, in pixels.</summary>
    public int MaxSideLength { get; set; } = 4096;

    /// <summary>Video-tool jobs one user may start per UTC day.</summary>
    public int JobsPerDay { get; set; } = 10;

    /// <summary>The free default marks every rendered video.</summary>
    public bool Watermark { get; set; } = true;

    public string WatermarkText { get; set; } = "NanoBanana";

    /// <summary>Wall-clock limit of one ffmpeg or ffprobe run; the process tree is killed after it.</summary>
    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest file one ffmpeg run may write (<c>-fs</c>); the bot uploads at most 50 MB.</summary>
    public long MaxOutputBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>ffmpeg encodes at once per replica (CPU-bound; the rest wait their turn).</summary>
    public int MaxRenders { get; set; } = 1;

    public string X264Preset { get; set; } = "veryfast";

    /// <summary>A video-tool job past this (counted from its start) fails and is released.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(30);

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>The Sandbox voice; without it the Sandbox voices segments with a tone.</summary>
    public string EspeakPath { get; set; } = "espeak-ng";

    public string TranscriptionModel { get; set; } = "gemini-3.5-flash-lite";

    public string TranslationModel { get; set; } = "gemini-3.5-flash-lite";

    public string SpeechModel { get; set; } = "gemini-3.8-flash-lite-tts";

    public string SpeechVoice { get; set; } = "Kore";
}
