namespace NanoBanana.Catalog.Domain;

/// <summary>An AI model the product sells, with its prices and what it can do.</summary>
internal sealed class AiModel
{
    public required string Slug { get; set; }

    public required string NameRu { get; set; }

    public required string NameEn { get; set; }

    public required string DescriptionRu { get; set; }

    public required string DescriptionEn { get; set; }

    public ModelKind Kind { get; set; }

    public ModelProvider Provider { get; set; }

    public required string ProviderModelId { get; set; }

    /// <summary>Images: credits per image at a size without a <see cref="ResolutionPrices"/> entry. Videos: unused.</summary>
    public long PriceCredits { get; set; }

    public long ProviderCostKopecks { get; set; }

    /// <summary>Videos: per-clip prices at a resolution without a <see cref="ResolutionPrices"/> entry.</summary>
    public List<DurationPrice> DurationPrices { get; set; } = [];

    public List<ResolutionPrice> ResolutionPrices { get; set; } = [];

    public ModelCapabilities Capabilities { get; set; } = new();

    public bool Active { get; set; }

    /// <summary>The provider no longer lists <see cref="ProviderModelId"/> (Generation's check); hidden from users meanwhile.</summary>
    public bool ProviderUnlisted { get; set; }

    public int SortOrder { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal enum ModelKind
{
    Image = 1,
    Video = 2,
}

internal enum ModelProvider
{
    Gemini = 1,
    Vertex = 2,
    Kie = 3,
    Sandbox = 4,
}

internal sealed class DurationPrice
{
    public int Seconds { get; set; }

    public long Credits { get; set; }

    public long ProviderCostKopecks { get; set; }
}

/// <summary>The price at one output size: per image, or per second of video at the lengths listed (empty: all).</summary>
internal sealed class ResolutionPrice
{
    public string Resolution { get; set; } = string.Empty;

    public long Credits { get; set; }

    public long ProviderCostKopecks { get; set; }

    public List<int> DurationsSeconds { get; set; } = [];
}

internal sealed class ModelCapabilities
{
    public bool TextToImage { get; set; }

    public bool ImageToImage { get; set; }

    public int MaxReferenceImages { get; set; }

    public bool TextToVideo { get; set; }

    public bool ImageToVideo { get; set; }

    public List<string> AspectRatios { get; set; } = [];

    public List<int> DurationsSeconds { get; set; } = [];

    public List<string> Resolutions { get; set; } = [];

    public bool Audio { get; set; }

    /// <summary>Images one request may ask for (Imagen's sampleCount); 0 or 1: one.</summary>
    public int MaxImagesPerRequest { get; set; }

    /// <summary>Image-to-video also takes an optional last frame.</summary>
    public bool LastFrame { get; set; }

    /// <summary>Most asset reference images of a references-to-video request; 0: not offered.</summary>
    public int MaxAssetReferences { get; set; }

    /// <summary>Clip lengths allowed with asset references; empty: every offered one.</summary>
    public List<int> AssetReferenceDurationsSeconds { get; set; } = [];
}
