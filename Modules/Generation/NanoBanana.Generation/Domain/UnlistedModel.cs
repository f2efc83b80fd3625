namespace NanoBanana.Generation.Domain;

/// <summary>An active Catalog model whose provider id its provider no longer lists (found by the provider-model check).</summary>
internal sealed class UnlistedModel
{
    public required string ModelSlug { get; set; }

    public required string ProviderModelId { get; set; }

    public Engine Engine { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
}
