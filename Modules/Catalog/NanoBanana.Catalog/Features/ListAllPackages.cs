using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Every package, active or not, for internal tools.</summary>
internal sealed class ListAllPackages(CatalogDbContext db) : IUseCaseHandler<ListAllPackagesRequest, ListAllPackagesResponse>
{
    public async Task<Result<ListAllPackagesResponse>> Handle(ListAllPackagesRequest request, CancellationToken cancellationToken)
    {
        var packages = await db.Packages.AsNoTracking().OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var response = new ListAllPackagesResponse();
        response.Packages.Add(packages.Select(p => p.Adapt<Package>()));
        return response;
    }
}
