using Mapster;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;

namespace NanoBanana.Catalog;

/// <summary>
/// Entity ↔ contract pairs of the Catalog module (conventions: <see cref="BuildingBlocks.Mapping.ProtoMapping"/>).
/// Same-named members (capabilities, prices, enums whose names match) map by convention; only the localized pairs, the ordering of prices and the input clean-up are spelled out.
/// Keys, timestamps and the provider-listing flag are the handlers' business, hence ignored on the way in.
/// </summary>
internal sealed class CatalogMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<AiModel, Model>()
            .Map(dest => dest.Name, src => new LocalizedText { Ru = src.NameRu, En = src.NameEn })
            .Map(dest => dest.Description, src => new LocalizedText { Ru = src.DescriptionRu, En = src.DescriptionEn })
            .Map(dest => dest.DurationPrices, src => src.DurationPrices.OrderBy(p => p.Seconds));

        config.NewConfig<Model, AiModel>()
            .Ignore(dest => dest.Slug, dest => dest.UpdatedAt, dest => dest.ProviderUnlisted)
            .Map(dest => dest.NameRu, src => src.Name.Ru.Trim())
            .Map(dest => dest.NameEn, src => src.Name.En.Trim())
            .Map(dest => dest.DescriptionRu, src => src.Description.Ru.Trim())
            .Map(dest => dest.DescriptionEn, src => src.Description.En.Trim())
            .Map(dest => dest.ProviderModelId, src => src.ProviderModelId.Trim())
            .Map(dest => dest.DurationPrices, src => src.DurationPrices.OrderBy(p => p.Seconds));

        config.NewConfig<Contracts.V1.ResolutionPrice, Domain.ResolutionPrice>()
            .Map(dest => dest.Resolution, src => src.Resolution.Trim())
            .Map(dest => dest.DurationsSeconds, src => src.DurationsSeconds.Distinct().Order());

        config.NewConfig<Capabilities, ModelCapabilities>()
            .Map(dest => dest.AspectRatios, src => src.AspectRatios.Select(v => v.Trim()).Distinct())
            .Map(dest => dest.DurationsSeconds, src => src.DurationsSeconds.Distinct().Order())
            .Map(dest => dest.Resolutions, src => src.Resolutions.Select(v => v.Trim()).Distinct())
            .Map(dest => dest.AssetReferenceDurationsSeconds, src => src.AssetReferenceDurationsSeconds.Distinct().Order());

        config.NewConfig<TopUpPackage, Package>()
            .Map(dest => dest.Title, src => new LocalizedText { Ru = src.TitleRu, En = src.TitleEn });

        config.NewConfig<Package, TopUpPackage>()
            .Ignore(dest => dest.Id, dest => dest.UpdatedAt)
            .Map(dest => dest.TitleRu, src => src.Title.Ru.Trim())
            .Map(dest => dest.TitleEn, src => src.Title.En.Trim());

        config.NewConfig<SubscriptionPlan, Plan>()
            .Map(dest => dest.Title, src => new LocalizedText { Ru = src.TitleRu, En = src.TitleEn });

        config.NewConfig<Plan, SubscriptionPlan>()
            .Ignore(dest => dest.Id, dest => dest.UpdatedAt)
            .Map(dest => dest.TitleRu, src => src.Title.Ru.Trim())
            .Map(dest => dest.TitleEn, src => src.Title.En.Trim());
    }
}
