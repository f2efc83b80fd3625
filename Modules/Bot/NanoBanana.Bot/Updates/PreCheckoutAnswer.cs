using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Payments.Contracts.V1;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// Telegram's pre_checkout_query must be answered within 10 s, so it is answered at ingest, right
/// after the update is stored, instead of waiting behind the chat's other stored updates. Payments decides; a refusal
/// carries its localized text to the payer.
/// </summary>
internal sealed partial class PreCheckoutAnswer(IServiceScopeFactory scopes, ITelegramBotClient bot, Texts texts, ILogger<PreCheckoutAnswer> logger)
{
    /// <summary>The update kind (its JSON field) this answers.</summary>
    public const string Kind = "pre_checkout_query";

    public async Task AnswerAsync(Update update, CancellationToken cancellationToken)
    {
        if (update.PreCheckoutQuery is not { } query)
        {
            return;
        }

        // Answered at ingest, ahead of the chat's worker: in the payer's Telegram language.
        var language = Texts.LanguageOf(null, query.From.LanguageCode);
        string? refusal;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var modules = scope.ServiceProvider.GetRequiredService<ModuleGateway>();
            var verdict = await modules.AsModuleAsync(new ValidatePreCheckoutRequest
            {
                UserId = query.From.Id, InvoicePayload = query.InvoicePayload, Currency = query.Currency, TotalAmount = query.TotalAmount, Language = language,
            }, cancellationToken);
            refusal = !verdict.IsSuccess ? texts.Get(language, "topup.precheckout_refused")
                : verdict.Value.Ok ? null
                : verdict.Value.ErrorMessage is { Length: > 0 } message ? message : texts.Get(language, "topup.precheckout_refused");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never leave the payer waiting on the spinner: refuse, nothing is charged.
            LogValidationFailed(logger, exception, query.Id);
            refusal = texts.Get(language, "topup.precheckout_refused");
        }

        await bot.AnswerPreCheckoutQuery(query.Id, refusal, cancellationToken);
    }

    /// <summary>Answers without holding up the caller (the polling loop); failures are logged, Telegram then cancels the payment.</summary>
    public void AnswerInBackground(Update update) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await AnswerAsync(update, CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogAnswerFailed(logger, exception, update.PreCheckoutQuery?.Id);
            }
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Error, Message = "ValidatePreCheckout failed for query {QueryId}; refusing the payment")]
    private static partial void LogValidationFailed(ILogger logger, Exception exception, string queryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "answerPreCheckoutQuery failed for query {QueryId}")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, string? queryId);
}
