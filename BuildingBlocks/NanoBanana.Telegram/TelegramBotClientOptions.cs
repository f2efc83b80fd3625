using System.Globalization;

namespace NanoBanana.Telegram;

public sealed class TelegramBotClientOptions
{
    public const string DefaultBaseUrl = "https://api.telegram.org";

    public TelegramBotClientOptions(string token, string? baseUrl = null)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var botId))
        {
            throw new ArgumentException("A bot token looks like <bot id>:<secret>.", nameof(token));
        }

        Token = token;
        BotId = botId;
        BaseUrl = (string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl).TrimEnd('/');
    }

    public string Token { get; }

    public long BotId { get; }

    /// <summary>Scheme and host of the Bot API server (a local Bot API server or the playground).</summary>
    public string BaseUrl { get; }

    /// <summary>Per-request limit; long polling adds its own timeout on top.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-request limit for calls that upload files (multipart): up to 50 MB must get through a modest uplink.</summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromMinutes(5);

    internal string MethodUrl(string method) => $"{BaseUrl}/bot{Token}/{method}";

    internal string FileUrl(string filePath) => $"{BaseUrl}/file/bot{Token}/{filePath.TrimStart('/')}";
}
