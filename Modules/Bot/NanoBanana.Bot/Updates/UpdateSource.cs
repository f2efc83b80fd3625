using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Replies;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// At start: the bot's commands and Mini App menu button, then either <c>setWebhook</c> (a public URL is
/// configured) or long polling into the same <see cref="UpdateStore"/>. Updates are confirmed to Telegram (next offset)
/// only after they are stored.
/// </summary>
internal sealed partial class UpdateSource(
    ITelegramBotClient bot,
    LongPoll longPoll,
    UpdateStore store,
    PreCheckoutAnswer preCheckout,
    Texts texts,
    MiniAppLink miniApp,
    IOptions<TelegramOptions> telegram,
    IOptions<BotOptions> options,
    ILogger<UpdateSource> logger) : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates =
        [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery, UpdateType.MyChatMember, UpdateType.Subscription];

    private static readonly string[] CommandNames = ["start", "help", "balance", "plans", "history", "lang", "cancel", "paysupport"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RetryAsync(ConfigureBotAsync, stoppingToken);
        var settings = telegram.Value;
        if (settings.WebhookUrl.Length > 0)
        {
            await RetryAsync(ct => bot.SetWebhook(settings.WebhookUrl, allowedUpdates: AllowedUpdates, secretToken: settings.WebhookSecret, cancellationToken: ct), stoppingToken);
            LogWebhook(logger, settings.WebhookUrl);
            return;
        }

        await RetryAsync(ct => bot.DeleteWebhook(cancellationToken: ct), stoppingToken);
        LogPolling(logger);
        await PollAsync(stoppingToken);
    }

    private async Task ConfigureBotAsync(CancellationToken cancellationToken)
    {
        foreach (var language in Texts.Languages)
        {
            var commands = CommandNames.Select(name => new BotCommand { Command = name, Description = texts.Get(language, "command." + name) });
            await bot.SetMyCommands(commands, languageCode: language == "en" ? null : language, cancellationToken: cancellationToken);
        }

        await bot.SetChatMenuButton(menuButton: new MenuButtonWebApp { Text = texts.Get("en", "button.app_menu"), WebApp = new WebAppInfo { Url = miniApp.Url } }, cancellationToken: cancellationToken);
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        long? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await longPoll.GetUpdatesAsync(offset, options.Value.PollTimeoutSeconds, AllowedUpdates, stoppingToken);
                var known = new List<(JsonElement Update, UpdateEnvelope Envelope)>(updates.Count);
                foreach (var update in updates)
                {
                    if (UpdateEnvelope.From(update) is { } envelope)
                    {
                        known.Add((update, envelope));
                    }
                }

                if (known.Count == 0)
                {
                    continue;
                }

                // The whole answer in one commit: stored one by one, each update waited for its own commit (an fsync)
                // and, at 100 updates/s, the poll fell behind Telegram (ADR 0235).
                // Stored as Telegram sent it, like the webhook's body: fields Telegram.Bot does not know survive.
                var stored = await store.StoreAllAsync([.. known.Select(u => (u.Envelope, u.Update.GetRawText()))], stoppingToken);
                foreach (var (update, envelope) in known)
                {
                    if (stored.Remove(envelope.UpdateId) && envelope.Kind == PreCheckoutAnswer.Kind)
                    {
                        preCheckout.AnswerInBackground(update.Deserialize(JsonBotSerializerContext.Default.Update)!);
                    }
                }

                offset = known[^1].Envelope.UpdateId + 1;
            }
            catch (RequestException exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, exception);
                var wait = TimeSpan.FromSeconds(exception is ApiRequestException { Parameters.RetryAfter: { } retryAfter } ? retryAfter : 1);
                await Task.Delay(wait, stoppingToken);
            }
        }
    }

    private async Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call(stoppingToken);
                return;
            }
            catch (RequestException exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogStartupCallFailed(logger, exception, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram webhook set to {Url}")]
    private static partial void LogWebhook(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "No Telegram:WebhookUrl: receiving updates by long polling")]
    private static partial void LogPolling(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "getUpdates failed; polling again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot API call at start-up failed (attempt {Attempt}); retrying")]
    private static partial void LogStartupCallFailed(ILogger logger, Exception exception, int attempt);
}
