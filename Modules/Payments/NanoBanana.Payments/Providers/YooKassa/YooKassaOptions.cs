using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NanoBanana.Payments.Providers.YooKassa;

internal sealed class YooKassaOptions
{
    /// <summary>YooKassa's published notification sources (official SDK SecurityHelper).</summary>
    public static readonly IReadOnlyList<string> PublishedNetworks =
    [
        "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.154.128/25",
        "77.75.156.11/32", "77.75.156.35/32", "2a02:5180::/32",
    ];

    public string BaseUrl { get; set; } = "https://api.yookassa.ru/v3/";

    public string ShopId { get; set; } = string.Empty;

    public string SecretKey { get; set; } = string.Empty;

    /// <summary>Where YooKassa sends the payer after paying, when the client gives none.</summary>
    public string ReturnUrl { get; set; } = string.Empty;

    /// <summary>Notification sources accepted; empty → <see cref="PublishedNetworks"/>.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Reverse proxies whose X-Forwarded-For is believed; the client address is the first untrusted hop from the right.</summary>
    public string[] TrustedProxies { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts for one call on 429/500/network errors, with the same idempotence key.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [ValidateObjectMembers]
    public ReceiptOptions Receipt { get; set; } = new();

    /// <summary>
    /// Offer card payers automatic plan renewal with a saved payment method (ADR 0152). Off by default: a live shop
    /// must have autopayments enabled by YooKassa's manager first.
    /// </summary>
    public bool Autopayments { get; set; }

    /// <summary>A card plan with automatic renewal is charged this long before its period ends.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a replica looks for card plans to renew.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => ShopId.Length > 0 && SecretKey.Length > 0;

    internal sealed class ReceiptOptions
    {
        /// <summary>Send a 54-FZ receipt with every payment (the payer's email or phone is then required).</summary>
        public bool Enabled { get; set; }

        /// <summary>A card order needs the payer's email or phone for its receipt; null when it has what it needs.</summary>
        public Ardalis.Result.ValidationError? MissingContact(Domain.OrderMethod method, string email, string phone) =>
            method == Domain.OrderMethod.YooKassa && Enabled && email.Length == 0 && phone.Length == 0
                ? new Ardalis.Result.ValidationError("receipt_email", "An email or phone for the receipt is required.")
                : null;

        /// <summary>YooKassa vat_code: 1 = without VAT (usual for NPD).</summary>
        [Range(1, 12)]
        public int VatCode { get; set; } = 1;

        public string PaymentSubject { get; set; } = "service";

        public string PaymentMode { get; set; } = "full_payment";

        /// <summary>tax_system_code; 0 → not sent.</summary>
        [Range(0, 6)]
        public int TaxSystemCode { get; set; }
    }
}
