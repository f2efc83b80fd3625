namespace NanoBanana.Payments.Providers.Stars;

/// <summary>The Bot API calls Payments makes, and whether a bot token is configured at all.</summary>
internal interface ITelegramPayments
{
    bool IsConfigured { get; }

    /// <summary>createInvoiceLink with currency XTR and one price; returns the link for openInvoice.</summary>
    Task<string> CreateInvoiceLinkAsync(StarsInvoiceRequest invoice, CancellationToken cancellationToken);

    Task RefundStarPaymentAsync(long userId, string telegramPaymentChargeId, CancellationToken cancellationToken);

    /// <summary>editUserStarSubscription: true stops renewals, false renews again a subscription the bot cancelled.</summary>
    Task EditUserStarSubscriptionAsync(long userId, string telegramPaymentChargeId, bool isCanceled, CancellationToken cancellationToken);
}

/// <summary>An invoice; <paramref name="SubscriptionPeriodSeconds"/> makes it a Stars subscription (Telegram: always 2592000).</summary>
internal sealed record StarsInvoiceRequest(string Title, string Description, string Payload, string PriceLabel, long Amount, int? SubscriptionPeriodSeconds = null);
