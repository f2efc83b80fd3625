using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NanoBanana.Payments.Providers.YooKassa;

/// <summary>
/// YooKassa API v3 over HTTP: Basic auth, an Idempotence-Key on every POST, bounded retries with the
/// same key on 429/500/network errors (YooKassa's rule: an unknown outcome is retried with the same data and key).
/// </summary>
internal sealed partial class YooKassaClient(HttpClient http, IOptions<YooKassaOptions> options, ILogger<YooKassaClient> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<YooKassaPayment> CreatePaymentAsync(YooKassaCreatePayment payment, string idempotenceKey, CancellationToken cancellationToken) =>
        SendAsync<YooKassaPayment>(HttpMethod.Post, "payments", payment, idempotenceKey, cancellationToken)!;

    /// <summary>The payment as YooKassa sees it now; null when YooKassa does not know the id.</summary>
    public async Task<YooKassaPayment?> GetPaymentAsync(string paymentId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<YooKassaPayment>(HttpMethod.Get, "payments/" + Uri.EscapeDataString(paymentId), null, null, cancellationToken);
        }
        catch (YooKassaException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<YooKassaRefund> CreateRefundAsync(YooKassaCreateRefund refund, string idempotenceKey, CancellationToken cancellationToken) =>
        SendAsync<YooKassaRefund>(HttpMethod.Post, "refunds", refund, idempotenceKey, cancellationToken)!;

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotenceKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var baseUri = new Uri(settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/");
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ShopId}:{settings.SecretKey}"));
        var delay = settings.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            if (idempotenceKey is not null)
            {
                request.Headers.Add("Idempotence-Key", idempotenceKey);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            YooKassaException failure;
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync<T>(Json, timeout.Token)
                        ?? throw new YooKassaException(response.StatusCode, "empty_response", "YooKassa answered with an empty body.");
                }

                failure = await ReadErrorAsync(response, timeout.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = new YooKassaException(null, "transport", exception.Message, exception);
            }

            // 4xx other than 429 means the request itself is wrong: retrying the same data cannot help.
            if (!failure.IsRetryable || attempt >= settings.MaxAttempts)
            {
                throw failure;
            }

            LogRetry(logger, method.Method, path, attempt, failure.StatusCode is { } status ? (int)status : 0, failure.Code);
            await Task.Delay(delay, cancellationToken);
            delay *= 2;
        }
    }

    private static async Task<YooKassaException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        YooKassaError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<YooKassaError>(Json, cancellationToken);
        }
        catch (JsonException)
        {
            // Not YooKassa's error envelope (a proxy page, say): the status code alone decides.
        }

        return new YooKassaException(response.StatusCode, error?.Code ?? "http_" + (int)response.StatusCode, error?.Description ?? response.ReasonPhrase ?? "error");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "YooKassa {Method} {Path} attempt {Attempt} failed ({Status} {Code}); retrying with the same idempotence key")]
    private static partial void LogRetry(ILogger logger, string method, string path, int attempt, int status, string code);
}

internal sealed class YooKassaException(HttpStatusCode? statusCode, string code, string description, Exception? inner = null)
    : Exception($"YooKassa {(statusCode is { } s ? (int)s : 0)} {code}: {description}", inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public bool IsRetryable => StatusCode is null or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}

internal sealed record YooKassaError(string? Type, string? Id, string? Code, string? Description, string? Parameter);

internal sealed record YooKassaAmount(string Value, string Currency)
{
    public static YooKassaAmount FromMinor(long minor, string currency) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{minor / 100}.{minor % 100:D2}"), currency);

    public long ToMinor() => (long)(decimal.Parse(Value, NumberStyles.Number, CultureInfo.InvariantCulture) * 100m);
}

internal sealed record YooKassaConfirmation(string Type, string? ReturnUrl = null, string? Locale = null, string? ConfirmationUrl = null, string? ConfirmationToken = null);

internal sealed record YooKassaCustomer(string? Email, string? Phone);

internal sealed record YooKassaReceiptItem(string Description, string Quantity, YooKassaAmount Amount, int VatCode, string PaymentMode, string PaymentSubject);

internal sealed record YooKassaReceipt(YooKassaCustomer Customer, IReadOnlyList<YooKassaReceiptItem> Items, int? TaxSystemCode);

/// <summary>
/// A payment to create. A card plan's first period may ask to save the method (<paramref name="SavePaymentMethod"/>);
/// an autopayment names the saved one (<paramref name="PaymentMethodId"/>) and has no confirmation step.
/// </summary>
internal sealed record YooKassaCreatePayment(
    YooKassaAmount Amount,
    bool Capture,
    YooKassaConfirmation? Confirmation,
    string Description,
    IReadOnlyDictionary<string, string> Metadata,
    YooKassaReceipt? Receipt,
    bool? SavePaymentMethod = null,
    string? PaymentMethodId = null);

/// <summary>payment.payment_method: <c>saved</c> says the id may pay again without the payer (autopayments).</summary>
internal sealed record YooKassaPaymentMethod(string Id, bool Saved, string? Type, string? Title);

/// <summary>Why a payment was cancelled: party (merchant, yoo_kassa, payment_network) and reason (insufficient_funds, permission_revoked, ...).</summary>
internal sealed record YooKassaCancellationDetails(string? Party, string? Reason);

internal sealed record YooKassaPayment(
    string Id,
    string Status,
    bool Paid,
    YooKassaAmount Amount,
    YooKassaConfirmation? Confirmation,
    Dictionary<string, string>? Metadata,
    bool Test,
    YooKassaPaymentMethod? PaymentMethod = null,
    YooKassaCancellationDetails? CancellationDetails = null)
{
    public const string Succeeded = "succeeded";
    public const string Canceled = "canceled";

    /// <summary>The method this payment saved for later autopayments, if it did.</summary>
    public string? SavedPaymentMethodId => PaymentMethod is { Saved: true, Id.Length: > 0 } method ? method.Id : null;

    public string? OrderId => Metadata is not null && Metadata.TryGetValue("order_id", out var id) ? id : null;
}

internal sealed record YooKassaCreateRefund(string PaymentId, YooKassaAmount Amount, string Description);

internal sealed record YooKassaRefund(string Id, string Status, string PaymentId, YooKassaAmount Amount);
