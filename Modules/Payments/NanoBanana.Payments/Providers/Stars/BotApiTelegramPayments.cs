using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types.Payments;

namespace NanoBanana.Payments.Providers.Stars;

internal sealed class TelegramOptions
{
    public string BotToken { get; set; } = string.Empty;

    /// <summary>Empty: https://api.telegram.org.</summary>
    public string ApiBaseUrl { get; set; } = string.Empty;
}

/// <summary>
/// Stars calls through Telegram.Bot (ADR 0095); failures surface as its RequestException / ApiRequestException.
/// The library's own 429 retries are off: a caller of the Mini App gets the failure instead of a wait.
/// </summary>
internal sealed class BotApiTelegramPayments(HttpClient http, IOptions<TelegramOptions> options) : ITelegramPayments
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly Lazy<TelegramBotClient> _bot = new(() => new TelegramBotClient(
        new TelegramBotClientOptions(options.Value.BotToken, string.IsNullOrWhiteSpace(options.Value.ApiBaseUrl) ? null : options.Value.ApiBaseUrl) { RetryCount = 0 },
        http) { Timeout = RequestTimeout });

    public bool IsConfigured => options.Value.BotToken.Length > 0;

    public Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken) =>
        _bot.Value.CreateInvoiceLink(
            invoice.Title,
            invoice.Description,
            invoice.Payload,
            "XTR",
            [new LabeledPrice(invoice.PriceLabel, invoice.Amount)],
            subscriptionPeriod: invoice.SubscriptionPeriodSeconds,
            cancellationToken: cancellationToken);

    public Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken) =>
        _bot.Value.RefundStarPayment(userId, telegramPaymentChargeId, cancellationToken);

    public Task EditUserStarSubscriptionAsync(long userId, string telegramPaymentChargeId, bool isCanceled, CancellationToken cancellationToken) =>
        _bot.Value.EditUserStarSubscription(userId, telegramPaymentChargeId, isCanceled, cancellationToken);
}
