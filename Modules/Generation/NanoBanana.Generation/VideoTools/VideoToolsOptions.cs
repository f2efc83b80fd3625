using System.ComponentModel.DataAnnotations;

namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// Configuration section <c>Generation:VideoTools</c>: the input limits (the user's plan decides the
/// duration, the watermark and the jobs a day, ADR 0142), the ffmpeg guard rails and the speech models.
/// </summary>
internal sealed class VideoToolsOptions
{
    /// <summary>The Bot API hands bots files of at most 20 MB.</summary>
    [Range(1L, 2L * 1024 * 1024 * 1024)]
    public long MaxInputBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Longest video when the user's plan sets no limit of its own (its <c>max_video_tools_seconds</c> is 0).</summary>
    [Range(1, 7200)]
    public int MaxDurationSeconds { get; set; } = 300;

    /// <summary>Longest side of the source picture, in pixels.</summary>
    [Range(16, 16384)]
    public int MaxSideLength { get; set; } = 4096;

    /// <summary>Drawn on rendered videos of a plan with the watermark on (the free plan).</summary>
    public string WatermarkText { get; set; } = "NanoBanana";

    /// <summary>Wall-clock limit of one ffmpeg or ffprobe run; the process tree is killed after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest file one ffmpeg run may write (<c>-fs</c>); the bot uploads at most 50 MB.</summary>
    [Range(1L, 2L * 1024 * 1024 * 1024)]
    public long MaxOutputBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>ffmpeg encodes at once per replica (CPU-bound; the rest wait their turn).</summary>
    [Range(1, 64)]
    public int MaxRenders { get; set; } = 1;

    [AllowedValues("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")]

    public string X264Preset { get; set; } = "veryfast";

    /// <summary>A video-tool job past this (counted from its start) fails and is released.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
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
