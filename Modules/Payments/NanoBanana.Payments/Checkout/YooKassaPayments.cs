using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Providers.YooKassa;

namespace NanoBanana.Payments.Checkout;

/// <summary>The create-payment bodies our orders send to YooKassa: a payer-confirmed payment, or a card plan's autopayment.</summary>
internal static class YooKassaPayments
{
    /// <summary>A payment the payer confirms (redirect or embedded widget), with a 54-FZ receipt when configured; <paramref name="savePaymentMethod"/> asks to keep the card for renewals.</summary>
    public static YooKassaCreatePayment ForOrder(TopUpOrder order, string description, CheckoutOptions checkout, bool english, YooKassaOptions settings, bool savePaymentMethod = false)
    {
        var confirmation = checkout.Embedded
            ? new YooKassaConfirmation("embedded", Locale: english ? "en_US" : "ru_RU")
            : new YooKassaConfirmation("redirect", ReturnUrl: string.IsNullOrEmpty(checkout.ReturnUrl) ? settings.ReturnUrl : checkout.ReturnUrl, Locale: english ? "en_US" : "ru_RU");
        return new YooKassaCreatePayment(
            YooKassaAmount.FromMinor(order.AmountMinor, order.Currency),
            Capture: true,
            confirmation,
            description,
            Metadata(order),
            Receipt(order, description, checkout.ReceiptEmail, checkout.ReceiptPhone, settings),
            SavePaymentMethod: savePaymentMethod ? true : null);
    }

    /// <summary>
    /// An autopayment: the saved method pays with no confirmation step (YooKassa "pay with saved"). No receipt: we keep
    /// no payer contact for it, and whether an autopayment needs its own is not documented (ADR 0152).
    /// </summary>
    public static YooKassaCreatePayment Autopayment(TopUpOrder order, string description, string paymentMethodId) =>
        new(
            YooKassaAmount.FromMinor(order.AmountMinor, order.Currency),
            Capture: true,
            Confirmation: null,
            description,
            Metadata(order),
            Receipt: null,
            PaymentMethodId: paymentMethodId);

    private static Dictionary<string, string> Metadata(TopUpOrder order) => new() { ["order_id"] = order.Id.ToString() };

    private static YooKassaReceipt? Receipt(TopUpOrder order, string description, string? email, string? phone, YooKassaOptions settings) =>
        settings.Receipt.Enabled
            ? new YooKassaReceipt(
                new YooKassaCustomer(NullIfEmpty(email), NullIfEmpty(phone)),
                [new YooKassaReceiptItem(description, "1.00", YooKassaAmount.FromMinor(order.AmountMinor, order.Currency), settings.Receipt.VatCode, settings.Receipt.PaymentMode, settings.Receipt.PaymentSubject)],
                settings.Receipt.TaxSystemCode > 0 ? settings.Receipt.TaxSystemCode : null)
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
