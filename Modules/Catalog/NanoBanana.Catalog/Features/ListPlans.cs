using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Catalog.Features;

/// <summary>The plans on sale in display order, the free plan included (the comparison screen shows it).</summary>
internal sealed class ListPlans(CatalogSnapshot catalog) : IUseCaseHandler<ListPlansRequest, ListPlansResponse>
{
    public async Task<Result<ListPlansResponse>> Handle(ListPlansRequest request, CancellationToken cancellationToken) =>
        await catalog.ActivePlansAsync(cancellationToken);
}
