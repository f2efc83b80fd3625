namespace NanoBanana.Catalog.Domain;

/// <summary>A credit package users buy with roubles or Telegram Stars.</summary>
internal sealed class TopUpPackage
{
    public required string Id { get; set; }

    public required string TitleRu { get; set; }

    public required string TitleEn { get; set; }

    public long Credits { get; set; }

    public long BonusCredits { get; set; }

    public long PriceRubKopecks { get; set; }

    public long PriceStars { get; set; }

    public bool Active { get; set; }

    public int SortOrder { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
