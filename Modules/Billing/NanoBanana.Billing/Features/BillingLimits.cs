using FluentValidation;

namespace NanoBanana.Billing.Features;

/// <summary>Input bounds shared by the billing use cases.</summary>
internal static class BillingLimits
{
    /// <summary>Far above any real top-up; keeps sums comfortably inside 64 bits.</summary>
    public const long MaxAmount = 1_000_000_000;

    public static IRuleBuilderOptions<T, string> MustBeIdempotencyKey<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(200).WithMessage("An idempotency key of 1 to 200 characters is required.");

    public static IRuleBuilderOptions<T, string> MustBeLanguage<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(l => l.Length <= 16).WithMessage("A language code is at most 16 characters (\"ru\" or \"en\").");

    public static IRuleBuilderOptions<T, string> MustBeHoldId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(id => Guid.TryParse(id, out _)).WithMessage("A hold id (UUID) is required.");
}
