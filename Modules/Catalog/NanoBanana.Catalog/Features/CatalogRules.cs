using System.Text.RegularExpressions;
using FluentValidation;

namespace NanoBanana.Catalog.Features;

/// <summary>Validation rules several Catalog use cases share.</summary>
internal static partial class CatalogRules
{
    public static readonly IReadOnlySet<string> ImageAspectRatios = new HashSet<string>(StringComparer.Ordinal)
    {
        "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
        "1:4", "4:1", "1:8", "8:1", // Nano Banana 2 only.
    };

    public static readonly IReadOnlySet<string> VideoAspectRatios = new HashSet<string>(StringComparer.Ordinal) { "16:9", "9:16" };

    public static readonly IReadOnlySet<string> ImageResolutions = new HashSet<string>(StringComparer.Ordinal) { "1K", "2K", "4K" };

    public static readonly IReadOnlySet<string> VideoResolutions = new HashSet<string>(StringComparer.Ordinal) { "720p", "1080p", "4k" };

    public static readonly IReadOnlySet<int> VideoDurations = new HashSet<int> { 4, 6, 8 };

    /// <summary>Nano Banana Pro documents 14 input images; no model we sell takes more.</summary>
    public const int MaxReferenceImages = 14;

    /// <summary>Imagen's sampleCount is 1–4.</summary>
    public const int MaxImagesPerRequest = 4;

    /// <summary>Veo 3.1 takes at most 3 asset reference images.</summary>
    public const int MaxAssetReferences = 3;

    public const long MaxPriceCredits = 100_000;

    public static IRuleBuilderOptions<T, string> MustBeSlug<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("A slug is required.")
            .Length(2, 64).WithMessage("A slug is 2 to 64 characters.")
            .Matches(SlugPattern()).WithMessage("A slug is lower-case latin letters and digits separated by single hyphens.");

    public static IRuleBuilderOptions<T, string> MustBeLabel<T>(this IRuleBuilder<T, string> rule, int maxLength) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Required.")
            .MaximumLength(maxLength).WithMessage($"At most {maxLength} characters.");

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
