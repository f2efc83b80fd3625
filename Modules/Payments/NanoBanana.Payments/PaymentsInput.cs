using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments;

/// <summary>Reading the callers' input: the chosen payment method and the language of the texts.</summary>
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

    public static bool IsEnglish(string? language) => language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
