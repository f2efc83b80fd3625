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

    private static LocalizedText Text(string ru, string en) => new() { Ru = ru, En = en };
}
