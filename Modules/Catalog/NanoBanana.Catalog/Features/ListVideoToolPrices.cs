using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Every video tool's price per started minute (a tool without a row costs nothing).</summary>
internal sealed class ListVideoToolPrices(CatalogDbContext db) : IUseCaseHandler<ListVideoToolPricesRequest, ListVideoToolPricesResponse>
{
    public async Task<Result<ListVideoToolPricesResponse>> Handle(ListVideoToolPricesRequest request, CancellationToken cancellationToken)
    {
        var rows = await db.VideoToolPrices.AsNoTracking().ToDictionaryAsync(p => p.Tool, cancellationToken);
        var response = new ListVideoToolPricesResponse();
        foreach (var tool in Enum.GetValues<VideoTool>().Where(t => t != VideoTool.Unspecified))
        {
            response.Prices.Add(rows.TryGetValue((int)tool, out var row)
                ? new VideoToolPrice { Tool = tool, CreditsPerMinute = row.CreditsPerMinute, ProviderCostKopecksPerMinute = row.ProviderCostKopecksPerMinute }
                : new VideoToolPrice { Tool = tool });
        }

        return response;
    }
}
