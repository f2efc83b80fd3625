using FluentValidation;
using NanoBanana.Billing.Domain;

namespace NanoBanana.Billing.Features;

internal static class LedgerPageValidation
{
    public static IRuleBuilderOptions<T, int> MustBePageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(0, PageToken.MaxSize).WithMessage($"A page holds 1 to {PageToken.MaxSize} entries (0: {PageToken.DefaultSize}).");

    public static IRuleBuilderOptions<T, string> MustBePageToken<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(PageToken.IsValid).WithMessage("The page token is not one this method returned.");
}
