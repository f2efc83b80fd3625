using Microsoft.Extensions.Options;
using NanoBanana.Telegram;
using NanoBanana.Telegram.Types.Payments;

namespace NanoBanana.Payments.Providers.Stars;

internal sealed class TelegramOptions
{
    public string BotToken { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = TelegramBotClientOptions.DefaultBaseUrl;
}

/// <summary>Stars calls through the shared Bot API client; failures surface as its RequestException / ApiRequestException.</summary>
internal sealed class BotApiTelegramPayments(HttpClient http, IOptions<TelegramOptions> options) : ITelegramPayments
{
    private readonly Lazy<TelegramBotClient> _bot = new(() => new TelegramBotClient(new TelegramBotClientOptions(options.Value.BotToken, options.Value.ApiBaseUrl), http));

    public bool IsConfigured => options.Value.BotToken.Length > 0;

    public Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken) =>
        _bot.Value.CreateInvoiceLink(
            invoice.Title,
            invoice.Description,
            invoice.Payload,
            "XTR",
            [new LabeledPrice(invoice.PriceLabel, checked((int)invoice.Amount))],
            providerToken: string.Empty,
            cancellationToken: cancellationToken);

    public Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken) =>
        _bot.Value.RefundStarPayment(userId, telegramPaymentChargeId, cancellationToken);
}
