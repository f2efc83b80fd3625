using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace NanoBanana.Bot.Replies;

/// <summary>User-facing texts from the embedded resource files <c>Resources/texts.&lt;lang&gt;.json</c>.</summary>
internal sealed class Texts
{
    public static readonly IReadOnlyList<string> Languages = ["en", "ru"];

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    public Texts()
    {
        _byLanguage = Languages.ToFrozenDictionary(language => language, Load);
        var english = _byLanguage["en"].Keys.ToHashSet();
        foreach (var (language, texts) in _byLanguage)
        {
            var missing = english.Except(texts.Keys).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"texts.{language}.json lacks: {string.Join(", ", missing)}");
            }
        }
    }

    /// <summary>Telegram's language_code (or a user's choice) → one of <see cref="Languages"/>.</summary>
    public static string Resolve(string? languageCode) =>
        languageCode is { Length: >= 2 } code && code[..2].ToLowerInvariant() is "ru" or "uk" or "be" or "kk" ? "ru" : "en";

    /// <summary>
    /// The one rule for a chat's language: the user's own choice (/lang) when they made one, else their
    /// Telegram language_code (or the one stored from it) resolved to a supported language.
    /// </summary>
    public static string LanguageOf(string? languageOverride, string? languageCode) => languageOverride ?? Resolve(languageCode);

    public string Get(string language, string key, params object?[] args)
    {
        var template = _byLanguage[language].TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"No text '{key}'.");
        return args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args);
    }

    public IEnumerable<string> Keys(string language) => _byLanguage[language].Keys;

    /// <summary>The key whose text (in any language) is exactly <paramref name="text"/> among <paramref name="keys"/>.</summary>
    public string? KeyOf(string text, IEnumerable<string> keys) =>
        keys.FirstOrDefault(key => Languages.Any(language => _byLanguage[language].TryGetValue(key, out var value) && value == text));

    /// <summary>
    /// Merges <c>texts.&lt;lang&gt;.json</c> and every feature file <c>texts.&lt;feature&gt;.&lt;lang&gt;.json</c>
    /// (so a flow's texts can live in a file of its own); a key defined twice is an error.
    /// </summary>
    private static FrozenDictionary<string, string> Load(string language)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("texts/texts.", StringComparison.Ordinal) && name.EndsWith($".{language}.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!names.Contains($"texts/texts.{language}.json"))
        {
            throw new InvalidOperationException($"Embedded texts.{language}.json is missing.");
        }

        var merged = new Dictionary<string, string>();
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!)
            {
                if (!merged.TryAdd(key, value))
                {
                    throw new InvalidOperationException($"Text '{key}' is defined twice ({name}).");
                }
            }
        }

        return merged.ToFrozenDictionary();
    }
}
