using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>What one prompt-assistant request costs (no row: free).</summary>
internal sealed class GetAssistantPrice(CatalogDbContext db) : IUseCaseHandler<GetAssistantPriceRequest, GetAssistantPriceResponse>
{
    public async Task<Result<GetAssistantPriceResponse>> Handle(GetAssistantPriceRequest request, CancellationToken cancellationToken)
    {
        var row = await db.AssistantPrices.AsNoTracking().SingleOrDefaultAsync(p => p.Feature == Domain.AssistantPrice.PromptAssistant, cancellationToken);
        return new GetAssistantPriceResponse { Price = new AssistantPrice { CreditsPerRequest = row?.CreditsPerRequest ?? 0 } };
    }
}
