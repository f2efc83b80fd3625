using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace NanoBanana.Bot;

/// <summary>
/// The Bot API clients (Telegram.Bot, ADR 0095). The library has one <c>Timeout</c> per client and does
/// not lengthen it for a long poll, so each time limit gets its own client over its own HttpClient:
/// the default one for ordinary calls, one for getUpdates (the poll hold on top), one for uploads
/// (ADR 0077). Its 429 retries are off: the outbound sender owns flood control.
/// </summary>
internal static class BotApiClients
{
    /// <summary>Key of the client for getUpdates.</summary>
    public const string LongPolling = "telegram-long-polling";

    /// <summary>Key of the client for multipart uploads of result files.</summary>
    public const string Uploads = "telegram-uploads";

    /// <summary>Limit of an ordinary call.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Limit of an upload: up to 50 MB must get through a modest uplink.</summary>
    public static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(5);

    public static void Add(IServiceCollection services, TelegramOptions telegram)
    {
        services.AddHttpClient(nameof(TelegramBotClient));
        services.AddSingleton<ITelegramBotClient>(provider => Create(provider, telegram, RequestTimeout));
        services.AddKeyedSingleton<ITelegramBotClient>(LongPolling, (provider, _) =>
            Create(provider, telegram, RequestTimeout + TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<BotOptions>>().Value.PollTimeoutSeconds)));
        services.AddKeyedSingleton<ITelegramBotClient>(Uploads, (provider, _) => Create(provider, telegram, UploadTimeout));
    }

    private static TelegramBotClient Create(IServiceProvider provider, TelegramOptions telegram, TimeSpan timeout)
    {
        var baseUrl = string.IsNullOrWhiteSpace(telegram.ApiBaseUrl) ? null : telegram.ApiBaseUrl;
        var options = new TelegramBotClientOptions(telegram.BotToken, baseUrl) { RetryCount = 0 };
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TelegramBotClient));
        return new TelegramBotClient(options, http) { Timeout = timeout };
    }
}
