using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Domain;
using NanoBanana.Catalog.Persistence;
using ContractKind = NanoBanana.Catalog.Contracts.V1.ModelKind;

namespace NanoBanana.Catalog.Features;

/// <summary>Creates a model or replaces every field of an existing one (keyed by slug), except the provider-listing flag.</summary>
internal sealed class UpsertModel(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog) : IUseCaseHandler<UpsertModelRequest, UpsertModelResponse>
{
    public async Task<Result<UpsertModelResponse>> Handle(UpsertModelRequest request, CancellationToken cancellationToken)
    {
        var contract = request.Model;
        var model = await db.Models.SingleOrDefaultAsync(m => m.Slug == contract.Slug, cancellationToken);
        var created = model is null;
        model ??= db.Models.Add(new AiModel
        {
            Slug = contract.Slug,
            NameRu = string.Empty,
            NameEn = string.Empty,
            DescriptionRu = string.Empty,
            DescriptionEn = string.Empty,
            ProviderModelId = string.Empty,
        }).Entity;
        var checkedId = model.ProviderModelId;
        contract.Adapt(model);
        // A new provider id has not been checked yet: it is offered until the next provider-model check says otherwise.
        model.ProviderUnlisted &= model.ProviderModelId == checkedId;
        model.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return new UpsertModelResponse { Model = model.Adapt<Model>(), Created = created };
    }
}

internal sealed class UpsertModelValidator : AbstractValidator<UpsertModelRequest>
{
    public UpsertModelValidator()
    {
        RuleFor(r => r.Model).NotNull().WithMessage("A model is required.");
        When(r => r.Model is not null, () =>
        {
            RuleFor(r => r.Model.Slug).MustBeSlug();
            RuleFor(r => r.Model.Name).NotNull().WithMessage("Names in ru and en are required.");
            RuleFor(r => r.Model.Name.Ru).MustBeLabel(64).When(r => r.Model.Name is not null);
            RuleFor(r => r.Model.Name.En).MustBeLabel(64).When(r => r.Model.Name is not null);
            RuleFor(r => r.Model.Description).NotNull().WithMessage("Descriptions in ru and en are required.");
            RuleFor(r => r.Model.Description.Ru).MustBeLabel(500).When(r => r.Model.Description is not null);
            RuleFor(r => r.Model.Description.En).MustBeLabel(500).When(r => r.Model.Description is not null);
            RuleFor(r => r.Model.Kind).Must(k => k is ContractKind.Image or ContractKind.Video).WithMessage("Kind must be image or video.");
            RuleFor(r => r.Model.Provider).Must(p => p != Provider.Unspecified && Enum.IsDefined(p)).WithMessage("A known provider is required.");
            RuleFor(r => r.Model.ProviderModelId).MustBeLabel(128);
            RuleFor(r => r.Model.ProviderCostKopecks).GreaterThanOrEqualTo(0).WithMessage("A cost cannot be negative.");
            RuleFor(r => r.Model.SortOrder).GreaterThanOrEqualTo(0).WithMessage("Sort order cannot be negative.");
            RuleFor(r => r.Model.Capabilities).NotNull().WithMessage("Capabilities are required.");
            When(r => r.Model.Capabilities is not null, ResolutionPriceRules);
            When(r => r.Model.Capabilities is not null && r.Model.Kind == ContractKind.Image, ImageRules);
            When(r => r.Model.Capabilities is not null && r.Model.Kind == ContractKind.Video, VideoRules);
        });
    }

    private void ResolutionPriceRules()
    {
        RuleForEach(r => r.Model.ResolutionPrices).ChildRules(price =>
        {
            price.RuleFor(p => p.Credits).InclusiveBetween(1, CatalogRules.MaxPriceCredits).WithMessage($"A price is 1 to {CatalogRules.MaxPriceCredits} credits.");
            price.RuleFor(p => p.ProviderCostKopecks).GreaterThanOrEqualTo(0).WithMessage("A cost cannot be negative.");
        });
        RuleForEach(r => r.Model.ResolutionPrices)
            .Must((r, price) => r.Model.Capabilities.Resolutions.Contains(price.Resolution.Trim()))
            .WithMessage("A resolution price needs a resolution the model offers.");
        RuleFor(r => r.Model.ResolutionPrices).Must(p => p.Select(x => x.Resolution.Trim()).Distinct().Count() == p.Count).WithMessage("Each resolution is priced once.");
        RuleForEach(r => r.Model.ResolutionPrices)
            .Must((r, price) => r.Model.Kind == ContractKind.Video
                ? price.DurationsSeconds.All(r.Model.Capabilities.DurationsSeconds.Contains) && (price.DurationsSeconds.Count > 0 || r.Model.Capabilities.DurationsSeconds.Count > 0)
                : price.DurationsSeconds.Count == 0)
            .WithMessage("A resolution price lists only durations the model offers (images: none).");
    }

    private void ImageRules()
    {
        RuleFor(r => r.Model.PriceCredits).InclusiveBetween(1, CatalogRules.MaxPriceCredits).WithMessage($"An image costs 1 to {CatalogRules.MaxPriceCredits} credits.");
        RuleFor(r => r.Model.DurationPrices).Empty().WithMessage("Image models have no per-duration prices.");
        RuleFor(r => r.Model.Capabilities).Must(c => c.TextToImage || c.ImageToImage).WithMessage("An image model needs text-to-image or image-to-image.");
        RuleFor(r => r.Model.Capabilities)
            .Must(c => !c.TextToVideo && !c.ImageToVideo && !c.Audio && c.DurationsSeconds.Count == 0 && !c.LastFrame && c.MaxAssetReferences == 0 && c.AssetReferenceDurationsSeconds.Count == 0)
            .WithMessage("An image model cannot have video capabilities (video, audio, durations, last frame, asset references).");
        RuleFor(r => r.Model.Capabilities.MaxImagesPerRequest).InclusiveBetween(0, CatalogRules.MaxImagesPerRequest)
            .WithMessage($"A request makes 1 to {CatalogRules.MaxImagesPerRequest} images (0 means one).");
        RuleFor(r => r.Model.Capabilities.MaxReferenceImages)
            .Must((r, max) => r.Model.Capabilities.ImageToImage ? max is >= 1 and <= CatalogRules.MaxReferenceImages : max == 0)
            .WithMessage($"Image-to-image takes 1 to {CatalogRules.MaxReferenceImages} reference images; text-only models take none.");
        RuleFor(r => r.Model.Capabilities.AspectRatios).NotEmpty().WithMessage("List at least one aspect ratio.");
        RuleForEach(r => r.Model.Capabilities.AspectRatios).Must(CatalogRules.ImageAspectRatios.Contains)
            .WithMessage($"Image aspect ratios are {string.Join(", ", CatalogRules.ImageAspectRatios)}.");
        RuleForEach(r => r.Model.Capabilities.Resolutions).Must(CatalogRules.ImageResolutions.Contains)
            .WithMessage($"Image resolutions are {string.Join(", ", CatalogRules.ImageResolutions)}.");
    }

    private void VideoRules()
    {
        RuleFor(r => r.Model.PriceCredits).Equal(0).WithMessage("Video models are priced per second or per duration (resolution_prices, duration_prices).");
        RuleFor(r => r.Model.DurationPrices)
            .Must((r, prices) => prices.Count > 0 || r.Model.Capabilities.Resolutions.All(res => r.Model.ResolutionPrices.Any(p => p.Resolution.Trim() == res)))
            .WithMessage("A video model needs a price per second for each resolution (resolution_prices) or a price for each duration (duration_prices).");
        RuleForEach(r => r.Model.DurationPrices).ChildRules(price =>
        {
            price.RuleFor(p => p.Seconds).Must(CatalogRules.VideoDurations.Contains).WithMessage("Durations are 4, 6 or 8 seconds.");
            price.RuleFor(p => p.Credits).InclusiveBetween(1, CatalogRules.MaxPriceCredits).WithMessage($"A clip costs 1 to {CatalogRules.MaxPriceCredits} credits.");
            price.RuleFor(p => p.ProviderCostKopecks).GreaterThanOrEqualTo(0).WithMessage("A cost cannot be negative.");
        });
        RuleFor(r => r.Model.DurationPrices).Must(p => p.Select(x => x.Seconds).Distinct().Count() == p.Count).WithMessage("Each duration is priced once.");
        RuleFor(r => r.Model.Capabilities.DurationsSeconds)
            .Must((r, durations) => r.Model.DurationPrices.Count == 0 || durations.Order().SequenceEqual(r.Model.DurationPrices.Select(p => p.Seconds).Order()))
            .WithMessage("The offered durations must be exactly the priced ones.");
        RuleFor(r => r.Model.Capabilities.DurationsSeconds).NotEmpty().WithMessage("List at least one duration.");
        RuleForEach(r => r.Model.Capabilities.DurationsSeconds).Must(CatalogRules.VideoDurations.Contains).WithMessage("Durations are 4, 6 or 8 seconds.");
        RuleFor(r => r.Model.Capabilities).Must(c => c.TextToVideo || c.ImageToVideo).WithMessage("A video model needs text-to-video or image-to-video.");
        RuleFor(r => r.Model.Capabilities).Must(c => !c.TextToImage && !c.ImageToImage).WithMessage("A video model cannot have image capabilities.");
        RuleFor(r => r.Model.Capabilities.MaxReferenceImages)
            .Must((r, max) => r.Model.Capabilities.ImageToVideo ? max == 1 : max == 0)
            .WithMessage("Image-to-video takes exactly one image; text-only video models take none.");
        RuleFor(r => r.Model.Capabilities.MaxImagesPerRequest).Must(n => n is 0 or 1).WithMessage("A video request makes one clip.");
        RuleFor(r => r.Model.Capabilities.LastFrame).Must((r, last) => !last || r.Model.Capabilities.ImageToVideo)
            .WithMessage("A last frame needs image-to-video (it is only sent with a first frame).");
        RuleFor(r => r.Model.Capabilities.MaxAssetReferences).InclusiveBetween(0, CatalogRules.MaxAssetReferences)
            .WithMessage($"Asset references are 0 to {CatalogRules.MaxAssetReferences} images.");
        RuleFor(r => r.Model.Capabilities.AssetReferenceDurationsSeconds)
            .Must((r, durations) => durations.All(r.Model.Capabilities.DurationsSeconds.Contains) && (durations.Count == 0 || r.Model.Capabilities.MaxAssetReferences > 0))
            .WithMessage("Durations with asset references must be offered durations, and only for a model that takes asset references.");
        RuleFor(r => r.Model.Capabilities.AspectRatios).NotEmpty().WithMessage("List at least one aspect ratio.");
        RuleForEach(r => r.Model.Capabilities.AspectRatios).Must(CatalogRules.VideoAspectRatios.Contains).WithMessage("Video aspect ratios are 16:9 and 9:16.");
        RuleFor(r => r.Model.Capabilities.Resolutions).NotEmpty().WithMessage("List at least one resolution.");
        RuleForEach(r => r.Model.Capabilities.Resolutions).Must(CatalogRules.VideoResolutions.Contains).WithMessage("Video resolutions are 720p, 1080p and 4k.");
    }
}
