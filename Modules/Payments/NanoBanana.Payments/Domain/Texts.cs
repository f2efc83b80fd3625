using NanoBanana.BuildingBlocks.Localization;

namespace NanoBanana.Payments.Domain;

/// <summary>User-facing payment texts: <c>Resources/texts.&lt;lang&gt;.json</c> through the shared <see cref="TextCatalog"/>.</summary>
internal static class Texts
{
    public static readonly TextCatalog Catalog = TextCatalog.Load(typeof(Texts).Assembly);

    /// <summary>Whether the caller's language resolves to English (for data kept per language: titles, YooKassa's locale).</summary>
    public static bool IsEnglish(string? language) => TextCatalog.Resolve(language) == "en";
}
