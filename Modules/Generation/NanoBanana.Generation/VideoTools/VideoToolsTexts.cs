using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.VideoTools;

/// <summary>User-facing sentences of the video tools that Generation itself writes (failure reasons, the job's description).</summary>
internal static class VideoToolsTexts
{
    public static LocalizedText StepName(VideoToolsStep step) => step switch
    {
        VideoToolsStep.ExtractingAudio => Text("извлечение звука", "extracting audio"),
        VideoToolsStep.Transcribing => Text("распознавание речи", "transcribing"),
        VideoToolsStep.Translating => Text("перевод", "translating"),
        VideoToolsStep.Voicing => Text("озвучка", "voice-over"),
        VideoToolsStep.Rendering => Text("сборка видео", "rendering"),
        _ => Text("выдача результата", "delivering"),
    };

    /// <summary>Which step failed, why in plain words, and that nothing was charged.</summary>
    public static LocalizedText Failure(VideoToolsStep step, FailureClass failureClass, long credits, string? cause = null)
    {
        var name = StepName(step);
        var (ru, en) = cause switch
        {
            "no_speech" => ("в видео не нашлось речи", "no speech was found in the video"),
            "too_large" => ("результат получился больше 50 МБ", "the result came out larger than 50 MB"),
            _ => failureClass switch
            {
                FailureClass.Timeout => ("шаг не уложился в отведённое время", "the step did not finish in time"),
                FailureClass.Safety => ("сервис отказался обрабатывать это содержимое", "the service refused this content"),
                FailureClass.Transient or FailureClass.Quota => ("сервис распознавания временно недоступен", "the speech service is unavailable right now"),
                FailureClass.InvalidInput => ("файл не удалось обработать", "the file could not be processed"),
                _ => ("ошибка обработки", "a processing error"),
            },
        };
        return Text(
            $"Не удалось выполнить шаг «{name.Ru}»: {ru}. Ничего не списано — {credits} кр. возвращены на баланс.",
            $"The step “{name.En}” failed: {en}. Nothing was charged — your {credits} credits are back.");
    }

    /// <summary>Shown as the job's prompt in history: "Subtitles → de, voice-over, captions: bold, 9:16".</summary>
    public static string Describe(string translateTo, bool voiceOver, CaptionStyle captions, Reframe reframe)
    {
        var parts = new List<string> { translateTo.Length > 0 ? $"Subtitles → {translateTo}" : "Subtitles" };
        if (voiceOver)
        {
            parts.Add("voice-over");
        }

        if (captions != CaptionStyle.Unspecified)
        {
            parts.Add($"captions: {captions.ToString().ToLowerInvariant()}");
        }

        if (reframe != Reframe.Unspecified)
        {
            parts.Add(reframe == Reframe.CentreCrop ? "9:16 crop" : "9:16 blur");
        }

        return string.Join(", ", parts);
    }

    private static LocalizedText Text(string ru, string en) => new() { Ru = ru, En = en };
}
