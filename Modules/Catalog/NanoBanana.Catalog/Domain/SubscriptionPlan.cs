namespace NanoBanana.Catalog.Domain;

/// <summary>A plan users subscribe to for 30-day periods (ADR 0150); "free" is everyone's plan without a paid period.</summary>
internal sealed class SubscriptionPlan
{
    public required string Id { get; set; }

    public required string TitleRu { get; set; }

    public required string TitleEn { get; set; }

    public long PriceStars { get; set; }

    /// <summary>A card payer's price of one period (YooKassa), kopecks; 0 = Stars only.</summary>
    public long PriceRubKopecks { get; set; }

    public long MonthlyCredits { get; set; }

    public bool CreditsRollover { get; set; }

    public int DailyJobLimit { get; set; }

    public bool Watermark { get; set; }

    public int QueuePriority { get; set; }

    public int MaxVideoToolsSeconds { get; set; }

    /// <summary>Longest side of a rendered video-tools result in pixels (1280 = 720p); 0 = the tools' default.</summary>
    public int VideoToolsMaxSide { get; set; }

    public bool Active { get; set; }

    public int SortOrder { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
