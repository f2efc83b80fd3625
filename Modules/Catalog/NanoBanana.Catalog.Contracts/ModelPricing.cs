namespace NanoBanana.Catalog.Contracts.V1;

/// <summary>A request's price and what the provider charges us for it, in kopecks.</summary>
public readonly record struct Price(long Credits, long ProviderCostKopecks);

/// <summary>
/// The one pricing rule every caller (Generation's planner, the bot's cards) applies to a Catalog model, so a
/// price shown is the price charged. A size listed in <see cref="Model.ResolutionPrices"/> is priced by it
/// (images per image, videos per second); any other size falls back to the model's flat price lists.
/// </summary>
public static class ModelPricing
{
    /// <summary>The price of one request, or null when the model does not offer that combination.</summary>
    public static Price? PriceOf(this Model model, string resolution, int durationSeconds, int count = 1)
    {
        var caps = model.Capabilities ?? new Capabilities();
        if (count < 1 || (caps.Resolutions.Count > 0 && !caps.Resolutions.Contains(resolution)))
        {
            return null;
        }

        var listed = model.ResolutionPrices.FirstOrDefault(p => p.Resolution == resolution);
        if (model.Kind == ModelKind.Video)
        {
            if (!caps.DurationsSeconds.Contains(durationSeconds))
            {
                return null;
            }

            if (listed is not null)
            {
                return listed.DurationsSeconds.Count == 0 || listed.DurationsSeconds.Contains(durationSeconds)
                    ? new Price(listed.Credits * durationSeconds * count, listed.ProviderCostKopecks * durationSeconds * count)
                    : null;
            }

            var clip = model.DurationPrices.FirstOrDefault(p => p.Seconds == durationSeconds);
            return clip is null ? null : new Price(clip.Credits * count, clip.ProviderCostKopecks * count);
        }

        return listed is not null
            ? new Price(listed.Credits * count, listed.ProviderCostKopecks * count)
            : new Price(model.PriceCredits * count, model.ProviderCostKopecks * count);
    }

    /// <summary>
    /// What <paramref name="delivered"/> of <paramref name="requested"/> images cost when the whole request was priced
    /// <paramref name="credits"/>: images are priced per image (<see cref="PriceOf"/>), so each delivered one at that
    /// rate, rounded down (a fraction is the user's). More than requested costs the price, never more.
    /// </summary>
    public static long CreditsForDelivered(long credits, int requested, int delivered) =>
        requested <= 1 || delivered >= requested ? credits : credits * Math.Max(0, delivered) / requested;

    /// <summary>The size a request without one gets: 720p for videos that offer it, otherwise the first listed.</summary>
    public static string DefaultResolution(this Model model)
    {
        var resolutions = (model.Capabilities ?? new Capabilities()).Resolutions;
        return model.Kind == ModelKind.Video && resolutions.Contains("720p") ? "720p" : resolutions.FirstOrDefault() ?? string.Empty;
    }

    /// <summary>
    /// The clip lengths the model makes at a resolution (every offered one unless the size restricts them), and with
    /// <paramref name="assetReferences"/> only those it allows with asset reference images (Veo 3.1: 8 s).
    /// </summary>
    public static IReadOnlyList<int> DurationsAt(this Model model, string resolution, bool assetReferences = false)
    {
        var caps = model.Capabilities ?? new Capabilities();
        return caps.DurationsSeconds
            .Where(seconds => model.PriceOf(resolution, seconds) is not null)
            .Where(seconds => !assetReferences || caps.AssetReferenceDurationsSeconds.Count == 0 || caps.AssetReferenceDurationsSeconds.Contains(seconds))
            .Order()
            .ToList();
    }

    /// <summary>Most images one request of the model makes (Imagen: up to 4); at least one.</summary>
    public static int MaxImagesPerRequest(this Model model) => Math.Max(1, (model.Capabilities ?? new Capabilities()).MaxImagesPerRequest);

    /// <summary>The cheapest request the model takes (for "from N credits" on cards), or null when it has no price.</summary>
    public static long? LowestCredits(this Model model)
    {
        var caps = model.Capabilities ?? new Capabilities();
        IEnumerable<string> resolutions = caps.Resolutions.Count > 0 ? caps.Resolutions : [string.Empty];
        IEnumerable<int> durations = model.Kind == ModelKind.Video ? caps.DurationsSeconds : [0];
        var prices = resolutions.SelectMany(r => durations.Select(d => model.PriceOf(r, d)))
            .Where(p => p is { Credits: > 0 })
            .Select(p => p!.Value.Credits)
            .ToList();
        return prices.Count > 0 ? prices.Min() : null;
    }
}
