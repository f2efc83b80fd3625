using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.VideoTools;

/// <summary>User-facing sentences of the video tools that Generation itself writes (failure reasons, the job's description).</summary>
internal static class VideoToolsTexts
{
    /// <summary>Which step failed, why in plain words, and that nothing was charged.</summary>
    public static LocalizedText Failure(VideoToolsStep step, FailureClass failureClass, long credits, string? cause = null)
    {
        var stepKey = step switch
        {
            VideoToolsStep.ExtractingAudio => "video_tools.step.extracting_audio",
            VideoToolsStep.Transcribing => "video_tools.step.transcribing",
            VideoToolsStep.Translating => "video_tools.step.translating",
            VideoToolsStep.Voicing => "video_tools.step.voicing",
            VideoToolsStep.Rendering => "video_tools.step.rendering",
            _ => "video_tools.step.delivering",
        };
        var causeKey = cause switch
        {
            "no_speech" => "video_tools.cause.no_speech",
            "too_large" => "video_tools.cause.too_large",
            _ => failureClass switch
            {
                FailureClass.Timeout => "video_tools.cause.timeout",
                FailureClass.Safety => "video_tools.cause.safety",
                FailureClass.Transient or FailureClass.Quota => "video_tools.cause.unavailable",
                FailureClass.InvalidInput => "video_tools.cause.invalid_input",
                _ => "video_tools.cause.other",
            },
        };
        return Texts.Both(language => Texts.Catalog.Get(language, "video_tools.failure", Texts.Catalog.Get(language, stepKey), Texts.Catalog.Get(language, causeKey), credits));
    }

    /// <summary>
    /// The job's prompt column, for operators (stats, logs): "Subtitles → de, voice-over, captions: bold, 9:16 blur".
    /// Users read a summary in their language built from <see cref="Job.VideoTools"/> (ADR 0141).
    /// </summary>
    public static string Describe(VideoToolsChoice choice)
    {
        var parts = new List<string> { choice.TranslateTo.Length > 0 ? $"Subtitles → {choice.TranslateTo}" : "Subtitles" };
        if (choice.VoiceOver)
        {
            parts.Add(choice.ReplaceAudio ? "voice-over replacing the sound" : "voice-over");
        }

        if (choice.Captions != CaptionStyle.Unspecified)
        {
            parts.Add($"captions: {choice.Captions.ToString().ToLowerInvariant()}");
        }

        if (choice.Reframe != Reframe.Unspecified)
        {
            parts.Add(choice.Reframe == Reframe.CentreCrop ? "9:16 crop" : "9:16 blur");
        }

        return string.Join(", ", parts);
    }
}
