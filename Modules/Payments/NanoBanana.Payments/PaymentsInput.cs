using FluentValidation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments;

/// <summary>Reading the callers' input: the chosen payment method and the checkout fields.</summary>
internal static class PaymentsInput
{
    /// <summary>The domain method, or null for UNSPECIFIED and unknown numbers (a validation error, not a mapping).</summary>
    public static OrderMethod? ToDomain(this PaymentMethod method) => method switch
    {
        PaymentMethod.Stars => OrderMethod.Stars,
        PaymentMethod.Yookassa => OrderMethod.YooKassa,
        PaymentMethod.Sandbox => OrderMethod.Sandbox,
        _ => null,
    };

    /// <summary>The checkout fields a top-up and a card plan period share: YooKassa's return URL and the 54-FZ receipt contact.</summary>
    public static void CheckoutRules<T>(this AbstractValidator<T> validator, Func<T, string> returnUrl, Func<T, string> receiptEmail, Func<T, string> receiptPhone)
    {
        validator.RuleFor(r => returnUrl(r)).Must(u => u.Length == 0 || Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http"))
            .OverridePropertyName("return_url").WithMessage("return_url must be an absolute http(s) URL.");
        validator.RuleFor(r => receiptEmail(r)).MaximumLength(254).EmailAddress().When(r => receiptEmail(r).Length > 0).OverridePropertyName("receipt_email");
        validator.RuleFor(r => receiptPhone(r)).Matches("^[0-9]{10,15}$").When(r => receiptPhone(r).Length > 0)
            .OverridePropertyName("receipt_phone").WithMessage("receipt_phone: digits only, with the country code (79001234567).");
    }
}
