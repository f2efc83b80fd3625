using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Results;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>The active top-up packages in display order.</summary>
internal sealed class ListPackages(CatalogDbContext db) : IUseCaseHandler<ListPackagesRequest, ListPackagesResponse>
{
    public async Task<Result<ListPackagesResponse>> Handle(ListPackagesRequest request, CancellationToken cancellationToken)
    {
        var packages = await db.Packages.AsNoTracking().Where(p => p.Active).OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var response = new ListPackagesResponse();
        response.Packages.Add(packages.Select(p => p.Adapt<Package>()));
        return response;
    }
}
