using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NanoBanana.BuildingBlocks.Localization;

/// <summary>
/// A module's user-facing texts, read from its embedded <c>Resources/texts.&lt;lang&gt;.json</c> and feature files
/// <c>texts.&lt;feature&gt;.&lt;lang&gt;.json</c> (embedded as <c>texts/…</c>), in every language of
/// <see cref="Languages"/> with the same keys (ADR 0190).
/// </summary>
public sealed partial class TextCatalog
{
    /// <summary>The languages every module speaks; the first is the default for a code we have no texts in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "ru"];

    public const string DefaultLanguage = "en";

    private const string ResourcePrefix = "texts/texts.";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    private TextCatalog(FrozenDictionary<string, FrozenDictionary<string, string>> byLanguage) => _byLanguage = byLanguage;

    /// <summary>The texts embedded in <paramref name="assembly"/>; throws when they have any of the <see cref="Problems(Assembly)"/>.</summary>
    public static TextCatalog Load(Assembly assembly)
    {
        var byLanguage = Read(assembly);
        var problems = Problems(byLanguage);
        return problems.Count == 0
            ? new TextCatalog(byLanguage)
            : throw new InvalidOperationException($"{assembly.GetName().Name}: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// What is wrong with the texts embedded in <paramref name="assembly"/> (empty when nothing is): a key one language has
    /// and another lacks, a text whose <c>{n}</c> placeholders differ between languages, a file without its twin.
    /// An assembly without texts (a module that shows users none) has no problems.
    /// </summary>
    public static IReadOnlyList<string> Problems(Assembly assembly)
    {
        var files = ResourceNames(assembly).Select(name => name[ResourcePrefix.Length..^".json".Length]).ToList();
        var unpaired = files
            .Select(file => file.LastIndexOf('.') is var dot and >= 0 ? file[..(dot + 1)] : string.Empty)
            .Distinct()
            .SelectMany(stem => Languages.Select(language => stem + language).Where(twin => !files.Contains(twin)))
            .Select(twin => $"texts.{twin}.json is missing");
        return files.Count == 0 ? [] : [.. unpaired, .. Problems(Read(assembly))];
    }

    /// <summary>
    /// A Telegram <c>language_code</c> (or a user's choice, or a caller's "ru"/"en") → one of <see cref="Languages"/>:
    /// Russian for the languages of Russian-reading users, English for every other code and for none.
    /// </summary>
    public static string Resolve(string? languageCode) =>
        languageCode is { Length: >= 2 } code && code[..2].ToLowerInvariant() is "ru" or "uk" or "be" or "kk" ? "ru" : DefaultLanguage;

    /// <summary>The text <paramref name="key"/> in <paramref name="languageCode"/> (resolved), its <c>{0}</c>… filled invariantly.</summary>
    public string Get(string? languageCode, string key, params object?[] args)
    {
        var template = _byLanguage[Resolve(languageCode)].TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"No text '{key}'.");
        return args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args);
    }

    public IEnumerable<string> Keys(string language) => _byLanguage[language].Keys;

    /// <summary>Whether <paramref name="key"/> has a text (in every language: the catalog checked that at load).</summary>
    public bool Contains(string key) => _byLanguage[DefaultLanguage].ContainsKey(key);

    /// <summary>The key whose text (in any language) is exactly <paramref name="text"/> among <paramref name="keys"/>.</summary>
    public string? KeyOf(string text, IEnumerable<string> keys) =>
        keys.FirstOrDefault(key => Languages.Any(language => _byLanguage[language].TryGetValue(key, out var value) && value == text));

    private static IReadOnlyList<string> ResourceNames(Assembly assembly) =>
        [.. assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Read(Assembly assembly) =>
        Languages.ToFrozenDictionary(language => language, language => Read(assembly, language));

    private static List<string> Problems(FrozenDictionary<string, FrozenDictionary<string, string>> byLanguage)
    {
        var problems = new List<string>();
        var reference = byLanguage[DefaultLanguage];
        foreach (var (language, texts) in byLanguage.Where(l => l.Key != DefaultLanguage))
        {
            problems.AddRange(reference.Keys.Except(texts.Keys).Order(StringComparer.Ordinal).Select(key => $"'{key}' has no text in '{language}'"));
            problems.AddRange(texts.Keys.Except(reference.Keys).Order(StringComparer.Ordinal).Select(key => $"'{key}' has no text in '{DefaultLanguage}'"));
            problems.AddRange(reference.Keys.Intersect(texts.Keys).Order(StringComparer.Ordinal)
                .Where(key => !Placeholders(reference[key]).SetEquals(Placeholders(texts[key])))
                .Select(key => $"'{key}' has other placeholders in '{language}' than in '{DefaultLanguage}'"));
        }

        return problems;
    }

    private static HashSet<string> Placeholders(string template) => [.. Placeholder().Matches(template).Select(match => match.Groups[1].Value)];

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();

    /// <summary>Merges the language's main file and every feature file; a key defined twice is an error.</summary>
    private static FrozenDictionary<string, string> Read(Assembly assembly, string language)
    {
        var names = ResourceNames(assembly).Where(name => name.EndsWith($".{language}.json", StringComparison.Ordinal)).ToList();
        if (!names.Contains($"{ResourcePrefix}{language}.json"))
        {
            throw new InvalidOperationException($"{assembly.GetName().Name}: embedded texts.{language}.json is missing.");
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!)
            {
                if (!merged.TryAdd(key, value))
                {
                    throw new InvalidOperationException($"{assembly.GetName().Name}: text '{key}' is defined twice ({name}).");
                }
            }
        }

        return merged.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
