using NanoBanana.BuildingBlocks.Localization;

namespace NanoBanana.Bot.Replies;

/// <summary>User-facing texts from the embedded resource files <c>Resources/texts.&lt;lang&gt;.json</c>, through the shared <see cref="TextCatalog"/>.</summary>
internal sealed class Texts
{
    public static IReadOnlyList<string> Languages => TextCatalog.Languages;

    private readonly TextCatalog _catalog = TextCatalog.Load(typeof(Texts).Assembly);

    /// <summary>Telegram's language_code (or a user's choice) → one of <see cref="Languages"/>.</summary>
    public static string Resolve(string? languageCode) => TextCatalog.Resolve(languageCode);

    /// <summary>
    /// The one rule for a chat's language: the user's own choice (/lang) when they made one, else their
    /// Telegram language_code (or the one stored from it) resolved to a supported language.
    /// </summary>
    public static string LanguageOf(string? languageOverride, string? languageCode) => languageOverride ?? Resolve(languageCode);

    public string Get(string language, string key, params object?[] args) => _catalog.Get(language, key, args);

    public IEnumerable<string> Keys(string language) => _catalog.Keys(language);

    /// <summary>The key whose text (in any language) is exactly <paramref name="text"/> among <paramref name="keys"/>.</summary>
    public string? KeyOf(string text, IEnumerable<string> keys) => _catalog.KeyOf(text, keys);
}
