namespace NanoBanana.Payments.Providers.Stars;

/// <summary>The two Bot API calls Payments makes, and whether a bot token is configured at all.</summary>
internal interface ITelegramPayments
{
    bool IsConfigured { get; }

    /// <summary>createInvoiceLink with currency XTR and one price; returns the link for openInvoice.</summary>
    Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken);

    Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken);
}

internal sealed record StarsInvoiceRequest(string Title, string Description, string Payload, string PriceLabel, long Amount);
