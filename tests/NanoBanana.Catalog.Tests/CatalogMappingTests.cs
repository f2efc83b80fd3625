using Mapster;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;
using Xunit;
using DomainKind = NanoBanana.Catalog.Domain.ModelKind;

namespace NanoBanana.Catalog.Tests;

/// <summary>The Catalog's entity ↔ contract rules, on a private configuration (no database needed).</summary>
public sealed class CatalogMappingTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TypeAdapterConfig Config() => ProtoMapping.CreateConfig(typeof(CatalogMapping).Assembly);

    private static AiModel Veo() => new()
    {
        Slug = "veo",
        NameRu = "Veo",
        NameEn = "Veo",
        DescriptionRu = "Видео",
        DescriptionEn = "Video",
        Kind = DomainKind.Video,
        Provider = ModelProvider.Vertex,
        ProviderModelId = "veo-3.1",
        ProviderCostKopecks = 10,
        DurationPrices = [new Domain.DurationPrice { Seconds = 8, Credits = 150 }, new Domain.DurationPrice { Seconds = 4, Credits = 80, ProviderCostKopecks = 3 }],
        Capabilities = new ModelCapabilities { TextToVideo = true, ImageToVideo = true, MaxReferenceImages = 1, AspectRatios = ["16:9"], DurationsSeconds = [4, 8], Resolutions = ["720p"], Audio = true },
        Active = true,
        SortOrder = 3,
        UpdatedAt = Earlier,
    };

    [Fact]
    public void Every_catalog_rule_compiles()
    {
        Config().Compile();
    }

    [Fact]
    public void Model_becomes_a_contract_with_prices_ordered_by_duration()
    {
        var contract = Veo().Adapt<AiModel, Model>(Config());

        Assert.Equal(new LocalizedText { Ru = "Видео", En = "Video" }, contract.Description);
        Assert.Equal(Contracts.V1.ModelKind.Video, contract.Kind);
        Assert.Equal(Provider.Vertex, contract.Provider);
        Assert.Equal([4, 8], contract.DurationPrices.Select(p => p.Seconds));
        Assert.Equal(3, contract.DurationPrices[0].ProviderCostKopecks);
        Assert.True(contract.Capabilities.Audio);
        Assert.Equal(["16:9"], contract.Capabilities.AspectRatios);
    }

    [Fact]
    public void Contract_onto_an_existing_model_cleans_input_and_keeps_key_and_timestamp()
    {
        var config = Config();
        var contract = Veo().Adapt<AiModel, Model>(config);
        contract.Slug = "other";
        contract.Name.En = "  Veo 3.1  ";
        contract.ProviderModelId = " veo-3.1-fast ";
        contract.Capabilities.AspectRatios.Add([" 9:16", "16:9", "9:16 "]);
        contract.Capabilities.DurationsSeconds.Add([8, 6]);
        contract.DurationPrices.Insert(0, new Contracts.V1.DurationPrice { Seconds = 6, Credits = 120 });
        var model = Veo();

        contract.Adapt(model, config);

        Assert.Equal("veo", model.Slug);
        Assert.Equal(Earlier, model.UpdatedAt);
        Assert.Equal("Veo 3.1", model.NameEn);
        Assert.Equal("veo-3.1-fast", model.ProviderModelId);
        Assert.Equal(["16:9", "9:16"], model.Capabilities.AspectRatios);
        Assert.Equal([4, 6, 8], model.Capabilities.DurationsSeconds);
        Assert.Equal([4, 6, 8], model.DurationPrices.Select(p => p.Seconds));
    }

    [Fact]
    public void Package_round_trips_through_its_contract_onto_an_entity_with_the_same_key()
    {
        var config = Config();
        var package = new TopUpPackage { Id = "p100", TitleRu = "100 ₽", TitleEn = "100 RUB", Credits = 100, BonusCredits = 5, PriceRubKopecks = 10_000, PriceStars = 75, Active = true, SortOrder = 1 };

        var back = package.Adapt<TopUpPackage, Package>(config).Adapt(new TopUpPackage { Id = "p100", TitleRu = "", TitleEn = "" }, config);

        Assert.Equivalent(package, back, strict: true);
    }
}
