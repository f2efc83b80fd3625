using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>
/// Sets the try-on terms. The model must be an image model that takes at least two reference images (the
/// person and the garment); whether it is switched on is checked when a try-on starts, so the offer can be
/// prepared before its model goes live.
/// </summary>
internal sealed class UpdateTryOnOffer(CatalogDbContext db, CatalogSnapshot catalog, TimeProvider clock) : IUseCaseHandler<UpdateTryOnOfferRequest, UpdateTryOnOfferResponse>
{
    public async Task<Result<UpdateTryOnOfferResponse>> Handle(UpdateTryOnOfferRequest request, CancellationToken cancellationToken)
    {
        var offer = request.Offer;
        var model = await catalog.FindModelAsync(offer.ModelSlug, cancellationToken);
        if (model is null)
        {
            return Result<UpdateTryOnOfferResponse>.Invalid(new ValidationError("offer.model_slug", $"Model '{offer.ModelSlug}' does not exist."));
        }

        if (model.Kind != ModelKind.Image || model.Capabilities is not { ImageToImage: true, MaxReferenceImages: >= 2 })
        {
            return Result<UpdateTryOnOfferResponse>.Invalid(new ValidationError("offer.model_slug", $"Model '{offer.ModelSlug}' cannot take a person and a garment photo (an image model with at least two reference images is needed)."));
        }

        var row = await db.TryOnOffers.SingleOrDefaultAsync(cancellationToken);
        row ??= db.TryOnOffers.Add(new Domain.TryOnOffer()).Entity;
        row.Enabled = offer.Enabled;
        row.PriceCredits = offer.PriceCredits;
        row.ProviderCostKopecks = offer.ProviderCostKopecks;
        row.ModelSlug = offer.ModelSlug;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new UpdateTryOnOfferResponse { Offer = GetTryOnOffer.ToContract(row) };
    }
}

internal sealed class UpdateTryOnOfferValidator : AbstractValidator<UpdateTryOnOfferRequest>
{
    public UpdateTryOnOfferValidator()
    {
        RuleFor(r => r.Offer).NotNull().WithMessage("An offer is required.");
        When(r => r.Offer is not null, () =>
        {
            RuleFor(r => r.Offer.ModelSlug).MustBeSlug();
            RuleFor(r => r.Offer.PriceCredits).InclusiveBetween(1, 100_000).WithMessage("A try-on costs 1 to 100,000 credits.");
            RuleFor(r => r.Offer.ProviderCostKopecks).InclusiveBetween(0, 10_000_000).WithMessage("A provider cost is 0 to 10,000,000 kopecks.");
        });
    }
}
