using NanoBanana.BuildingBlocks.Localization;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Domain;

/// <summary>
/// User-facing generation texts: <c>Resources/texts*.&lt;lang&gt;.json</c> through the shared <see cref="TextCatalog"/>.
/// Generation writes each text in both languages (a job's reader picks one), so it builds a <see cref="LocalizedText"/>.
/// </summary>
internal static class Texts
{
    public static readonly TextCatalog Catalog = TextCatalog.Load(typeof(Texts).Assembly);

    public static LocalizedText Both(string key, params object?[] args) => Both(language => Catalog.Get(language, key, args));

    /// <summary>A text composed of several, each composed in the one language.</summary>
    public static LocalizedText Both(Func<string, string> text) => new() { Ru = text("ru"), En = text("en") };
}
