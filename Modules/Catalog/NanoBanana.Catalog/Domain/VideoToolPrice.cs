namespace NanoBanana.Catalog.Domain;

/// <summary>The price of one video-tool option per started minute of the user's video (ADR 0140).</summary>
internal sealed class VideoToolPrice
{
    /// <summary>The contract's <c>VideoTool</c> number.</summary>
    public int Tool { get; set; }

    public long CreditsPerMinute { get; set; }

    public long ProviderCostKopecksPerMinute { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
