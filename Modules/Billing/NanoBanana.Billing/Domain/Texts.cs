using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Localization;

namespace NanoBanana.Billing.Domain;

/// <summary>User-facing billing texts: <c>Resources/texts.&lt;lang&gt;.json</c> through the shared <see cref="TextCatalog"/>.</summary>
internal static class Texts
{
    public static readonly TextCatalog Catalog = TextCatalog.Load(typeof(Texts).Assembly);

    /// <summary>A ledger entry's description: <c>ledger.&lt;EntryKind&gt;</c>, or <c>ledger.other</c> for a kind without one.</summary>
    public static string Describe(EntryKind kind, string? language)
    {
        var key = $"ledger.{kind}";
        return Catalog.Get(language, Catalog.Contains(key) ? key : "ledger.other");
    }
}
