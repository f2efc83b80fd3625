using System.Text.Json.Serialization;
using NanoBanana.Telegram.Serialization;

namespace NanoBanana.Telegram.Types.Payments;

public sealed class LabeledPrice
{
    public LabeledPrice()
    {
    }

    public LabeledPrice(string label, int amount) => (Label, Amount) = (label, amount);

    public string Label { get; set; } = "";

    /// <summary>In the smallest units of the currency; whole Stars for XTR.</summary>
    public int Amount { get; set; }
}

public sealed class Invoice
{
    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public string StartParameter { get; set; } = "";

    public string Currency { get; set; } = "";

    public int TotalAmount { get; set; }
}

public sealed class PreCheckoutQuery
{
    public string Id { get; set; } = "";

    public User From { get; set; } = new();

    public string Currency { get; set; } = "";

    public int TotalAmount { get; set; }

    public string InvoicePayload { get; set; } = "";
}

/// <summary>The payment went through; the only signal on which to credit the user.</summary>
public sealed class SuccessfulPayment
{
    public string Currency { get; set; } = "";

    public int TotalAmount { get; set; }

    public string InvoicePayload { get; set; } = "";

    /// <summary>Unique per payment: deduplicate on it, never on the payload.</summary>
    public string TelegramPaymentChargeId { get; set; } = "";

    public string ProviderPaymentChargeId { get; set; } = "";

    [JsonConverter(typeof(NullableUnixDateTimeConverter))]
    public DateTime? SubscriptionExpirationDate { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsRecurring { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsFirstRecurring { get; set; }
}

public sealed class RefundedPayment
{
    public string Currency { get; set; } = "";

    public int TotalAmount { get; set; }

    public string InvoicePayload { get; set; } = "";

    public string TelegramPaymentChargeId { get; set; } = "";

    public string? ProviderPaymentChargeId { get; set; }
}
