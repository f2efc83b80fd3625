using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Every model, active or not, for internal tools.</summary>
internal sealed class ListAllModels(CatalogDbContext db) : IUseCaseHandler<ListAllModelsRequest, ListAllModelsResponse>
{
    public async Task<Result<ListAllModelsResponse>> Handle(ListAllModelsRequest request, CancellationToken cancellationToken)
    {
        var models = await db.Models.AsNoTracking().OrderBy(m => m.SortOrder).ThenBy(m => m.Slug).ToListAsync(cancellationToken);
        var response = new ListAllModelsResponse();
        response.Models.Add(models.Select(m => m.Adapt<Model>()));
        return response;
    }
}
