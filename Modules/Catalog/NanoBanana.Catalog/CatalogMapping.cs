using Google.Protobuf.Collections;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;
using ContractKind = NanoBanana.Catalog.Contracts.V1.ModelKind;
using ContractProvider = NanoBanana.Catalog.Contracts.V1.Provider;
using DomainKind = NanoBanana.Catalog.Domain.ModelKind;

namespace NanoBanana.Catalog;

/// <summary>Entity ↔ contract conversions of the Catalog module.</summary>
internal static class CatalogMapping
{
    public static Model ToContract(this AiModel model)
    {
        var contract = new Model
        {
            Slug = model.Slug,
            Name = new LocalizedText { Ru = model.NameRu, En = model.NameEn },
            Description = new LocalizedText { Ru = model.DescriptionRu, En = model.DescriptionEn },
            Kind = model.Kind == DomainKind.Image ? ContractKind.Image : ContractKind.Video,
            Provider = (ContractProvider)(int)model.Provider,
            ProviderModelId = model.ProviderModelId,
            PriceCredits = model.PriceCredits,
            ProviderCostKopecks = model.ProviderCostKopecks,
            Capabilities = new Capabilities
            {
                TextToImage = model.Capabilities.TextToImage,
                ImageToImage = model.Capabilities.ImageToImage,
                MaxReferenceImages = model.Capabilities.MaxReferenceImages,
                TextToVideo = model.Capabilities.TextToVideo,
                ImageToVideo = model.Capabilities.ImageToVideo,
                Audio = model.Capabilities.Audio,
            },
            Active = model.Active,
            SortOrder = model.SortOrder,
        };
        contract.Capabilities.AspectRatios.Add(model.Capabilities.AspectRatios);
        contract.Capabilities.DurationsSeconds.Add(model.Capabilities.DurationsSeconds);
        contract.Capabilities.Resolutions.Add(model.Capabilities.Resolutions);
        contract.DurationPrices.Add(model.DurationPrices
            .OrderBy(p => p.Seconds)
            .Select(p => new Contracts.V1.DurationPrice { Seconds = p.Seconds, Credits = p.Credits, ProviderCostKopecks = p.ProviderCostKopecks }));
        return contract;
    }

    /// <summary>Copies a validated contract onto the entity (new or existing).</summary>
    public static void Apply(this AiModel model, Model contract, DateTimeOffset now)
    {
        model.NameRu = contract.Name.Ru.Trim();
        model.NameEn = contract.Name.En.Trim();
        model.DescriptionRu = contract.Description.Ru.Trim();
        model.DescriptionEn = contract.Description.En.Trim();
        model.Kind = contract.Kind == ContractKind.Image ? DomainKind.Image : DomainKind.Video;
        model.Provider = (ModelProvider)(int)contract.Provider;
        model.ProviderModelId = contract.ProviderModelId.Trim();
        model.PriceCredits = contract.PriceCredits;
        model.ProviderCostKopecks = contract.ProviderCostKopecks;
        model.DurationPrices = [.. contract.DurationPrices.OrderBy(p => p.Seconds).Select(p => new Domain.DurationPrice
        {
            Seconds = p.Seconds,
            Credits = p.Credits,
            ProviderCostKopecks = p.ProviderCostKopecks,
        })];
        var capabilities = contract.Capabilities;
        model.Capabilities = new ModelCapabilities
        {
            TextToImage = capabilities.TextToImage,
            ImageToImage = capabilities.ImageToImage,
            MaxReferenceImages = capabilities.MaxReferenceImages,
            TextToVideo = capabilities.TextToVideo,
            ImageToVideo = capabilities.ImageToVideo,
            AspectRatios = Distinct(capabilities.AspectRatios),
            DurationsSeconds = [.. capabilities.DurationsSeconds.Distinct().Order()],
            Resolutions = Distinct(capabilities.Resolutions),
            Audio = capabilities.Audio,
        };
        model.Active = contract.Active;
        model.SortOrder = contract.SortOrder;
        model.UpdatedAt = now;
    }

    public static Package ToContract(this TopUpPackage package) => new()
    {
        Id = package.Id,
        Title = new LocalizedText { Ru = package.TitleRu, En = package.TitleEn },
        Credits = package.Credits,
        BonusCredits = package.BonusCredits,
        PriceRubKopecks = package.PriceRubKopecks,
        PriceStars = package.PriceStars,
        Active = package.Active,
        SortOrder = package.SortOrder,
    };

    public static void Apply(this TopUpPackage package, Package contract, DateTimeOffset now)
    {
        package.TitleRu = contract.Title.Ru.Trim();
        package.TitleEn = contract.Title.En.Trim();
        package.Credits = contract.Credits;
        package.BonusCredits = contract.BonusCredits;
        package.PriceRubKopecks = contract.PriceRubKopecks;
        package.PriceStars = contract.PriceStars;
        package.Active = contract.Active;
        package.SortOrder = contract.SortOrder;
        package.UpdatedAt = now;
    }

    private static List<string> Distinct(RepeatedField<string> values) => [.. values.Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];
}
