using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Updates;
using Telegram.Bot;

namespace NanoBanana.Bot;

/// <summary>
/// The Bot API clients (Telegram.Bot, ADR 0095). The library has one <c>Timeout</c> per client, so each time
/// limit gets its own client over its own HttpClient: the default one for ordinary calls, one for uploads
/// (ADR 0077). Its 429 retries are off: the outbound sender owns flood control. getUpdates is our own
/// <see cref="LongPoll"/> (raw update JSON, ADR 0189) with the poll's hold on top of an ordinary call's limit.
/// </summary>
internal static class BotApiClients
{
    /// <summary>Name of the HttpClient of getUpdates.</summary>
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
        services.AddHttpClient(LongPolling);
        services.AddSingleton(provider =>
        {
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(LongPolling);
            http.Timeout = RequestTimeout + TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<BotOptions>>().Value.PollTimeoutSeconds);
            return new LongPoll(http, Options(telegram));
        });
        services.AddKeyedSingleton<ITelegramBotClient>(Uploads, (provider, _) => Create(provider, telegram, UploadTimeout));
    }

    private static TelegramBotClient Create(IServiceProvider provider, TelegramOptions telegram, TimeSpan timeout)
    {
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TelegramBotClient));
        return new TelegramBotClient(Options(telegram), http) { Timeout = timeout };
    }

    private static TelegramBotClientOptions Options(TelegramOptions telegram) =>
        new(telegram.BotToken, string.IsNullOrWhiteSpace(telegram.ApiBaseUrl) ? null : telegram.ApiBaseUrl) { RetryCount = 0 };
}
