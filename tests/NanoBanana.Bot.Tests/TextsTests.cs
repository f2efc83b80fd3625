using System.Text.RegularExpressions;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed partial class TextsTests
{
    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Every_text_exists_in_both_languages_with_the_same_placeholders()
    {
        var texts = new Texts();
        // texts.<lang>.json and feature files texts.<feature>.<lang>.json, each in both languages.
        var names = typeof(Texts).Assembly.GetManifestResourceNames();
        Assert.All(names, name => Assert.StartsWith("texts/texts.", name, StringComparison.Ordinal));
        Assert.Equal(
            names.Where(n => n.EndsWith(".en.json", StringComparison.Ordinal)).Select(n => n[..^8]).Order(StringComparer.Ordinal),
            names.Where(n => n.EndsWith(".ru.json", StringComparison.Ordinal)).Select(n => n[..^8]).Order(StringComparer.Ordinal));
        Assert.Equal(names.Length, 2 * names.Count(n => n.EndsWith(".en.json", StringComparison.Ordinal)));
        Assert.Equal(texts.Keys("en").Order(StringComparer.Ordinal), texts.Keys("ru").Order(StringComparer.Ordinal));
        foreach (var key in texts.Keys("en"))
        {
            var english = Placeholders(texts.Get("en", key));
            var russian = Placeholders(texts.Get("ru", key));
            Assert.True(english.SetEquals(russian), $"'{key}': en uses {{{string.Join(",", english)}}}, ru uses {{{string.Join(",", russian)}}}");
        }
    }

    [Theory]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("uk", "ru")]
    [InlineData("en", "en")]
    [InlineData("de", "en")]
    [InlineData(null, "en")]
    public void Telegram_language_codes_map_to_a_supported_language(string? code, string expected) => Assert.Equal(expected, Texts.Resolve(code));

    private static HashSet<string> Placeholders(string template) => [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value)];
}
