using System.Text.RegularExpressions;
using NanoBanana.BuildingBlocks.Localization;
using Xunit;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// One localization mechanism (ADR 0190): every module's user-facing texts are keys in its embedded
/// <c>Resources/texts*.&lt;lang&gt;.json</c>, each in every language with the same placeholders, and no module
/// writes a Russian sentence in its code. Each rule also runs on a known-bad fixture.
/// </summary>
public sealed partial class TextsRulesTests
{
    public static TheoryData<string> ModuleNames() => [.. Architecture.ModuleFoldersOnDisk];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Every_text_of_a_module_exists_in_every_language_with_the_same_placeholders(string module)
    {
        Assert.Empty(TextCatalog.Problems(Architecture.ImplementationAssembly(module)));
    }

    [Fact]
    public void A_missing_translation_a_lost_placeholder_and_an_unpaired_file_are_reported()
    {
        var problems = TextCatalog.Problems(TypeRules.FixtureAssembly);

        Assert.Contains("'only.in.english' has no text in 'ru'", problems);
        Assert.Contains("'greeting' has other placeholders in 'ru' than in 'en'", problems);
        Assert.Contains("texts.lonely.ru.json is missing", problems);
        Assert.Throws<InvalidOperationException>(() => TextCatalog.Load(TypeRules.FixtureAssembly));
    }

    [Fact]
    public void Modules_write_no_russian_text_in_code()
    {
        Assert.Empty(RussianInCode(Directory.GetFiles(Path.Combine(Architecture.RepoRoot, "Modules"), "*.cs", SearchOption.AllDirectories)));
    }

    [Fact]
    public void A_russian_sentence_in_code_is_reported()
    {
        var file = Path.Combine(Path.GetTempPath(), $"texts-fixture-{Guid.NewGuid():N}.cs");
        File.WriteAllText(file, "var reason = english ? \"Cancelled.\" : \"Отменено.\";\nvar language = \"Русский\";\n");
        try
        {
            Assert.Equal([$"{file}:1"], RussianInCode([file]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("uk", "ru")]
    [InlineData("be", "ru")]
    [InlineData("kk", "ru")]
    [InlineData("en", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void Every_language_code_resolves_to_russian_or_the_default_english(string? code, string expected) =>
        Assert.Equal(expected, TextCatalog.Resolve(code));

    /// <summary>
    /// Lines of module code with Cyrillic text, except seed data in migrations, build output, and a language's own
    /// name (an endonym, shown as is in every language). The sandbox checkout page is a bilingual developer page.
    /// </summary>
    private static List<string> RussianInCode(IEnumerable<string> files) =>
        [.. files
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(file) != "SandboxCheckoutPage.cs")
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (Line: line.Replace("Русский", string.Empty, StringComparison.Ordinal), Where: $"{file}:{index + 1}")))
            .Where(line => Cyrillic().IsMatch(line.Line))
            .Select(line => line.Where)];

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex Cyrillic();
}
