using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace NanoBanana.Payments.Providers.Stars;

internal sealed class TelegramOptions
{
    public string BotToken { get; set; } = string.Empty;

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";
}

/// <summary>createInvoiceLink and refundStarPayment over the Bot API's JSON envelope ({ok, result} / {ok:false, error_code, description}).</summary>
internal sealed class BotApiTelegramPayments(HttpClient http, IOptions<TelegramOptions> options) : ITelegramPayments
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public bool IsConfigured => options.Value.BotToken.Length > 0;

    public async Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken) =>
        (await CallAsync<string>(
            "createInvoiceLink",
            new
            {
                title = invoice.Title,
                description = invoice.Description,
                payload = invoice.Payload,
                provider_token = string.Empty,
                currency = "XTR",
                prices = new[] { new { label = invoice.PriceLabel, amount = invoice.Amount } },
            },
            cancellationToken))!;

    public async Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken) =>
        await CallAsync<bool>("refundStarPayment", new { user_id = userId, telegram_payment_charge_id = telegramPaymentChargeId }, cancellationToken);

    private async Task<T?> CallAsync<T>(string method, object body, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var uri = new Uri($"{settings.ApiBaseUrl.TrimEnd('/')}/bot{settings.BotToken}/{method}");
        using var response = await http.PostAsJsonAsync(uri, body, Json, cancellationToken);
        var envelope = await response.Content.ReadFromJsonAsync<BotApiEnvelope<T>>(Json, cancellationToken)
            ?? throw new TelegramPaymentsException((int)response.StatusCode, "empty response");
        return envelope.Ok ? envelope.Result : throw new TelegramPaymentsException(envelope.ErrorCode, envelope.Description ?? "error");
    }

    private sealed record BotApiEnvelope<T>(bool Ok, T? Result, int ErrorCode, string? Description);
}
