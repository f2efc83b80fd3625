namespace NanoBanana.Catalog.Domain;

/// <summary>The one row of <c>catalog.try_on_offer</c>: whether try-on is sold, at what price, run by which image model (ADR 0165).</summary>
internal sealed class TryOnOffer
{
    /// <summary>Always 1: the table holds a single row.</summary>
    public int Id { get; set; } = 1;

    public bool Enabled { get; set; }

    public long PriceCredits { get; set; }

    public long ProviderCostKopecks { get; set; }

    public string ModelSlug { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }
}
