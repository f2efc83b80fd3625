using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Whether try-on is sold, its price and the model that runs it (a missing row means it is not sold).</summary>
internal sealed class GetTryOnOffer(CatalogDbContext db) : IUseCaseHandler<GetTryOnOfferRequest, GetTryOnOfferResponse>
{
    public async Task<Result<GetTryOnOfferResponse>> Handle(GetTryOnOfferRequest request, CancellationToken cancellationToken)
    {
        var row = await db.TryOnOffers.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return new GetTryOnOfferResponse { Offer = row is null ? new TryOnOffer() : ToContract(row) };
    }

    internal static TryOnOffer ToContract(Domain.TryOnOffer row) => new()
    {
        Enabled = row.Enabled,
        PriceCredits = row.PriceCredits,
        ProviderCostKopecks = row.ProviderCostKopecks,
        ModelSlug = row.ModelSlug,
    };
}
