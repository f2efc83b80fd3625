namespace NanoBanana.Playground.Emulator;

/// <summary>An error the emulator answers with the Bot API envelope, e.g. 400 "Bad Request: chat not found".</summary>
internal sealed class BotApiException(int errorCode, string description, int? retryAfter = null) : Exception(description)
{
    public int ErrorCode { get; } = errorCode;

    public int? RetryAfter { get; } = retryAfter;

    public static BotApiException BadRequest(string what) => new(400, "Bad Request: " + what);
}
