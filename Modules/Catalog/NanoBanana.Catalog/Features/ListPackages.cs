using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Catalog.Features;

/// <summary>The active top-up packages in display order.</summary>
internal sealed class ListPackages(CatalogSnapshot catalog) : IUseCaseHandler<ListPackagesRequest, ListPackagesResponse>
{
    public async Task<Result<ListPackagesResponse>> Handle(ListPackagesRequest request, CancellationToken cancellationToken) =>
        await catalog.ActivePackagesAsync(cancellationToken);
}
