namespace NanoBanana.Payments.Providers.Stars;

/// <summary>
/// The two Bot API calls Payments needs. A port so the module does not wait for the shared
/// Telegram client; the adapter below speaks the Bot API directly.
/// </summary>
internal interface ITelegramPayments
{
    bool IsConfigured { get; }

    /// <summary>createInvoiceLink with currency XTR and one price; returns the link for openInvoice.</summary>
    Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken);

    Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken);
}

internal sealed record StarsInvoiceRequest(string Title, string Description, string Payload, string PriceLabel, long Amount);

internal sealed class TelegramPaymentsException(int errorCode, string description)
    : Exception($"Telegram {errorCode}: {description}")
{
    public int ErrorCode { get; } = errorCode;

    public string Description { get; } = description;
}
