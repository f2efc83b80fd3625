using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Every plan, on sale or not, for internal tools.</summary>
internal sealed class ListAllPlans(CatalogDbContext db) : IUseCaseHandler<ListAllPlansRequest, ListAllPlansResponse>
{
    public async Task<Result<ListAllPlansResponse>> Handle(ListAllPlansRequest request, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var response = new ListAllPlansResponse();
        response.Plans.Add(plans.Select(p => p.Adapt<Plan>()));
        return response;
    }
}
