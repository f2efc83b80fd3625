using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Domain;

/// <summary>The user-facing sentence for each way a job can end badly; always says the credits are back.</summary>
internal static class FailureReasons
{
    public static LocalizedText For(FailureClass failureClass, long credits) => failureClass switch
    {
        FailureClass.Safety => Text(
            $"Модель отказалась выполнять этот запрос по правилам безопасности. {credits} кр. возвращены на баланс — попробуйте переформулировать.",
            $"The model refused this request for safety reasons. Your {credits} credits are back — try rephrasing it."),
        FailureClass.Empty => Text(
            $"Модель не вернула ни одного изображения или видео. {credits} кр. возвращены на баланс — попробуйте ещё раз или измените запрос.",
            $"The model returned no image or video. Your {credits} credits are back — try again or change the prompt."),
        FailureClass.InvalidInput => Text(
            $"Модель не смогла обработать входные данные (например, изображение). {credits} кр. возвращены на баланс.",
            $"The model could not process the input (for example, an image). Your {credits} credits are back."),
        FailureClass.Quota => Text(
            $"Сервис генерации сейчас перегружен лимитами. {credits} кр. возвращены на баланс — попробуйте через несколько минут.",
            $"The generation service has hit its limits right now. Your {credits} credits are back — try again in a few minutes."),
        FailureClass.Timeout => Text(
            $"Генерация не уложилась в отведённое время. {credits} кр. возвращены на баланс.",
            $"The generation did not finish in time. Your {credits} credits are back."),
        FailureClass.Transient => Text(
            $"Сервис генерации временно недоступен, повторные попытки не помогли. {credits} кр. возвращены на баланс.",
            $"The generation service is temporarily unavailable and retries did not help. Your {credits} credits are back."),
        FailureClass.Cancelled => Text(
            $"Генерация отменена. {credits} кр. возвращены на баланс.",
            $"The generation was cancelled. Your {credits} credits are back."),
        _ => Text(
            $"Генерация не удалась из-за ошибки сервиса. {credits} кр. возвращены на баланс.",
            $"The generation failed because of a service error. Your {credits} credits are back."),
    };

    /// <summary>A restart hit the moment a request was being sent: resending could pay the provider twice, so the job ends and is refunded.</summary>
    public static LocalizedText Interrupted(long credits) => Text(
        $"Генерация прервалась из-за перезапуска сервиса. {credits} кр. возвращены на баланс — запустите её ещё раз.",
        $"The generation was interrupted by a service restart. Your {credits} credits are back — please start it again.");

    private static LocalizedText Text(string ru, string en) => new() { Ru = ru, En = en };
}
