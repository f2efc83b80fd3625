using System.Globalization;
using Ardalis.Result;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Catalog.Tests;

public sealed class CatalogUseCaseTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Result<T>> SendAsync<T>(BuildingBlocks.Mediation.IUseCase<T> request)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    [Fact]
    public async Task The_prompt_assistant_costs_one_credit_until_an_admin_sets_another_price()
    {
        Assert.Equal(1, (await SendAsync(new GetAssistantPriceRequest())).Value.Price.CreditsPerRequest);

        var set = await SendAsync(new SetAssistantPriceRequest { Price = new AssistantPrice { CreditsPerRequest = 4 } });
        var negative = await SendAsync(new SetAssistantPriceRequest { Price = new AssistantPrice { CreditsPerRequest = -1 } });
        var missing = await SendAsync(new SetAssistantPriceRequest());

        Assert.True(set.IsSuccess);
        Assert.Equal(ResultStatus.Invalid, negative.Status);
        Assert.Equal(ResultStatus.Invalid, missing.Status);
        Assert.Equal(4, (await SendAsync(new GetAssistantPriceRequest())).Value.Price.CreditsPerRequest);
        await SendAsync(new SetAssistantPriceRequest { Price = new AssistantPrice { CreditsPerRequest = 1 } });
    }

    [Fact]
    public async Task Seeded_catalog_lists_the_launch_models_in_order()
    {
        var result = await SendAsync(new ListModelsRequest());

        Assert.True(result.IsSuccess);
        Assert.Equal(["nano-banana", "nano-banana-2", "nano-banana-pro", "imagen-4", "veo-3-1-fast", "veo-3-1"], result.Value.Models.Select(m => m.Slug));
        var fast = result.Value.Models.Single(m => m.Slug == "veo-3-1-fast");
        Assert.Equal([80L, 120L, 160L], fast.DurationsAt("720p").Select(s => fast.PriceOf("720p", s)!.Value.Credits));
        Assert.Equal([8], fast.DurationsAt("1080p"));
        Assert.Equal("veo-3.1-fast-generate-001", fast.ProviderModelId);
        var pro = result.Value.Models.Single(m => m.Slug == "nano-banana-pro");
        Assert.Equal(14, pro.Capabilities.MaxReferenceImages); // ADR 0132: the documented 14.
        Assert.Equal("gemini-3-pro-image", pro.ProviderModelId);
    }

    [Fact]
    public async Task Filter_by_kind_returns_only_that_kind()
    {
        var videos = await SendAsync(new ListModelsRequest { Kind = ModelKind.Video });

        Assert.All(videos.Value.Models, m => Assert.Equal(ModelKind.Video, m.Kind));
        Assert.Equal(2, videos.Value.Models.Count);
    }

    [Fact]
    public async Task Seeded_packages_are_100_200_300_roubles()
    {
        var packages = await SendAsync(new ListPackagesRequest());

        Assert.Equal([10000L, 20000L, 30000L], packages.Value.Packages.Select(p => p.PriceRubKopecks));
        Assert.All(packages.Value.Packages, p => Assert.True(p.PriceStars > 0));
    }

    [Fact]
    public async Task Unknown_model_is_not_found()
    {
        var result = await SendAsync(new GetModelRequest { Slug = "no-such-model" });

        Assert.Equal(ResultStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Malformed_slug_is_invalid_with_the_field_named()
    {
        var result = await SendAsync(new GetModelRequest { Slug = "Bad Slug!" });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "slug");
    }

    [Fact]
    public async Task Deactivated_model_disappears_from_the_public_list_but_not_from_the_admin_list()
    {
        var off = await SendAsync(new SetModelActiveRequest { Slug = "imagen-4", Active = false });
        Assert.True(off.IsSuccess);

        var visible = await SendAsync(new ListModelsRequest());
        var all = await SendAsync(new ListAllModelsRequest());

        Assert.DoesNotContain(visible.Value.Models, m => m.Slug == "imagen-4");
        Assert.Contains(all.Value.Models, m => m.Slug == "imagen-4" && !m.Active);
        await SendAsync(new SetModelActiveRequest { Slug = "imagen-4", Active = true });
    }

    [Fact]
    public async Task Upsert_creates_then_updates_a_video_model()
    {
        var model = VideoModel("test-video");
        var created = await SendAsync(new UpsertModelRequest { Model = model });
        Assert.True(created.IsSuccess, created.ToString());
        Assert.True(created.Value.Created);

        model.DurationPrices[0].Credits = 99;
        var updated = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.False(updated.Value.Created);
        var fetched = await SendAsync(new GetModelRequest { Slug = "test-video" });
        Assert.Equal(99, fetched.Value.Model.DurationPrices.Single(p => p.Seconds == 4).Credits);
    }

    [Fact]
    public async Task Unknown_capability_combinations_are_invalid_with_field_errors()
    {
        var model = VideoModel("bad-video");
        model.Capabilities.TextToImage = true;
        model.Capabilities.AspectRatios.Add("1:1");
        model.DurationPrices.Add(new DurationPrice { Seconds = 5, Credits = 10 });

        var result = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        var fields = result.ValidationErrors.Select(e => e.Identifier).ToHashSet();
        Assert.Contains("model.capabilities", fields);
        Assert.Contains(fields, f => f.StartsWith("model.capabilities.aspect_ratios", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("model.duration_prices", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_video_priced_per_second_per_resolution_is_stored_with_its_lengths_per_size()
    {
        var model = VideoModel("per-second-video");
        model.DurationPrices.Clear();
        model.Capabilities.Resolutions.Add("1080p");
        model.ResolutionPrices.Add(new ResolutionPrice { Resolution = " 1080p ", Credits = 30, ProviderCostKopecks = 2000, DurationsSeconds = { 8, 8 } });
        model.ResolutionPrices.Add(new ResolutionPrice { Resolution = "720p", Credits = 20, ProviderCostKopecks = 1400 });

        var upserted = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.True(upserted.IsSuccess, upserted.ToString());
        var stored = (await SendAsync(new GetModelRequest { Slug = "per-second-video" })).Value.Model;
        var at1080 = stored.ResolutionPrices.Single(p => p.Resolution == "1080p");
        Assert.Equal([8], at1080.DurationsSeconds);
        Assert.Equal(240, stored.PriceOf("1080p", 8)!.Value.Credits);
        Assert.Null(stored.PriceOf("1080p", 4));
        Assert.Equal(80, stored.PriceOf("720p", 4)!.Value.Credits);
    }

    [Fact]
    public async Task Seeded_models_carry_their_documented_options()
    {
        var models = (await SendAsync(new ListModelsRequest())).Value.Models.ToDictionary(m => m.Slug);

        Assert.Equal(4, models["imagen-4"].MaxImagesPerRequest());
        Assert.Equal(60, models["imagen-4"].PriceOf("1K", 0, 4)!.Value.Credits);
        Assert.Equal(14, models["nano-banana-pro"].Capabilities.MaxReferenceImages);
        Assert.Equal(3, models["nano-banana"].Capabilities.MaxReferenceImages);
        Assert.Equal(1, models["nano-banana-pro"].MaxImagesPerRequest());
        foreach (var veo in new[] { models["veo-3-1"], models["veo-3-1-fast"] })
        {
            Assert.True(veo.Capabilities.LastFrame);
            Assert.Equal(3, veo.Capabilities.MaxAssetReferences);
            Assert.Equal([8], veo.DurationsAt("720p", assetReferences: true));
            Assert.Equal([4, 6, 8], veo.DurationsAt("720p"));
        }
    }

    [Fact]
    public async Task An_admin_sets_a_models_options_over_upsert()
    {
        var model = VideoModel("options-video");
        model.Capabilities.ImageToVideo = true;
        model.Capabilities.MaxReferenceImages = 1;
        model.Capabilities.LastFrame = true;
        model.Capabilities.MaxAssetReferences = 2;
        model.Capabilities.AssetReferenceDurationsSeconds.AddRange([8, 8]);

        var upserted = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.True(upserted.IsSuccess, upserted.ToString());
        var stored = (await SendAsync(new GetModelRequest { Slug = "options-video" })).Value.Model;
        Assert.True(stored.Capabilities.LastFrame);
        Assert.Equal(2, stored.Capabilities.MaxAssetReferences);
        Assert.Equal([8], stored.Capabilities.AssetReferenceDurationsSeconds);
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "five-images", "model.capabilities.max_images_per_request" },
        { "clips-in-bulk", "model.capabilities.max_images_per_request" },
        { "last-frame-from-text", "model.capabilities.last_frame" },
        { "four-asset-references", "model.capabilities.max_asset_references" },
        { "unmade-reference-length", "model.capabilities.asset_reference_durations_seconds" },
        { "fifteen-references", "model.capabilities.max_reference_images" },
        { "image-with-last-frame", "model.capabilities" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Options_a_provider_does_not_offer_are_refused_with_a_field_error(string slug, string field)
    {
        var model = slug switch
        {
            "five-images" or "fifteen-references" or "image-with-last-frame" => ImageModel(slug),
            _ => VideoModel(slug),
        };
        switch (slug)
        {
            case "five-images":
                model.Capabilities.MaxImagesPerRequest = 5;
                break;
            case "clips-in-bulk":
                model.Capabilities.MaxImagesPerRequest = 2;
                break;
            case "last-frame-from-text":
                model.Capabilities.ImageToVideo = false;
                model.Capabilities.MaxReferenceImages = 0;
                model.Capabilities.LastFrame = true;
                break;
            case "four-asset-references":
                model.Capabilities.MaxAssetReferences = 4;
                break;
            case "unmade-reference-length":
                model.Capabilities.MaxAssetReferences = 3;
                model.Capabilities.AssetReferenceDurationsSeconds.Add(10);
                break;
            case "fifteen-references":
                model.Capabilities.MaxReferenceImages = 15;
                break;
            default:
                model.Capabilities.LastFrame = true;
                break;
        }

        var result = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == field);
        Assert.Equal(ResultStatus.NotFound, (await SendAsync(new GetModelRequest { Slug = model.Slug })).Status);
    }

    public static TheoryData<string, string> BadResolutionPrices => new()
    {
        // "size:credits:length" per entry; 1080p is added priced unless the case is about it.
        { "bad-unoffered-size", "4k:20:" },
        { "bad-size-twice", "720p:20:|720p:25:" },
        { "bad-no-credits", "720p:0:" },
        { "bad-unmade-length", "720p:20:6" },
        { "bad-unpriced-size", "1080p:20:" },
    };

    [Theory]
    [MemberData(nameof(BadResolutionPrices))]
    public async Task Resolution_prices_that_do_not_fit_the_model_are_refused_with_a_field_error(string slug, string prices)
    {
        var model = VideoModel(slug);
        model.DurationPrices.Clear();
        model.Capabilities.Resolutions.Add("1080p");
        foreach (var price in prices.Split('|'))
        {
            var parts = price.Split(':');
            var entry = new ResolutionPrice { Resolution = parts[0], Credits = long.Parse(parts[1], CultureInfo.InvariantCulture) };
            entry.DurationsSeconds.AddRange(parts[2].Length > 0 ? [int.Parse(parts[2], CultureInfo.InvariantCulture)] : []);
            model.ResolutionPrices.Add(entry);
        }

        if (!prices.Contains("1080p", StringComparison.Ordinal))
        {
            model.ResolutionPrices.Add(new ResolutionPrice { Resolution = "1080p", Credits = 30 });
        }

        var result = await SendAsync(new UpsertModelRequest { Model = model });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier.StartsWith("model.resolution_prices", StringComparison.Ordinal) || e.Identifier == "model.duration_prices");
        Assert.Equal(ResultStatus.NotFound, (await SendAsync(new GetModelRequest { Slug = model.Slug })).Status);
    }

    [Fact]
    public async Task Reorder_requires_every_model_once()
    {
        var partial = await SendAsync(new ReorderModelsRequest { Slugs = { "veo-3-1", "nano-banana" } });
        Assert.Equal(ResultStatus.Invalid, partial.Status);

        var all = (await SendAsync(new ListAllModelsRequest())).Value.Models.Select(m => m.Slug).Reverse().ToList();
        var reordered = await SendAsync(new ReorderModelsRequest { Slugs = { all } });
        Assert.True(reordered.IsSuccess);
        Assert.Equal(all, (await SendAsync(new ListAllModelsRequest())).Value.Models.Select(m => m.Slug));
        await SendAsync(new ReorderModelsRequest { Slugs = { Enumerable.Reverse(all) } });
    }

    [Fact]
    public async Task Package_with_zero_stars_is_invalid()
    {
        var result = await SendAsync(new UpsertPackageRequest
        {
            Package = new Package { Id = "pack-x", Credits = 10, PriceRubKopecks = 1000, PriceStars = 0, Title = new LocalizedText { Ru = "x", En = "x" } },
        });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "package.price_stars");
    }

    private static Model VideoModel(string slug)
    {
        var model = new Model
        {
            Slug = slug,
            Name = new LocalizedText { Ru = "Тест", En = "Test" },
            Description = new LocalizedText { Ru = "Описание", En = "Description" },
            Kind = ModelKind.Video,
            Provider = Provider.Sandbox,
            ProviderModelId = "sandbox-video",
            Active = false,
            SortOrder = 100,
            Capabilities = new Capabilities { TextToVideo = true, AspectRatios = { "16:9" }, DurationsSeconds = { 4, 8 }, Resolutions = { "720p" } },
        };
        model.DurationPrices.Add(new DurationPrice { Seconds = 4, Credits = 40 });
        model.DurationPrices.Add(new DurationPrice { Seconds = 8, Credits = 80 });
        return model;
    }

    private static Model ImageModel(string slug) => new()
    {
        Slug = slug,
        Name = new LocalizedText { Ru = "Тест", En = "Test" },
        Description = new LocalizedText { Ru = "Описание", En = "Description" },
        Kind = ModelKind.Image,
        Provider = Provider.Sandbox,
        ProviderModelId = "sandbox-image",
        PriceCredits = 10,
        Active = false,
        SortOrder = 100,
        Capabilities = new Capabilities { TextToImage = true, ImageToImage = true, MaxReferenceImages = 4, AspectRatios = { "1:1" }, Resolutions = { "1K" } },
    };
}
