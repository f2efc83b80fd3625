using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Results;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;
using DomainKind = NanoBanana.Catalog.Domain.ModelKind;

namespace NanoBanana.Catalog.Features;

/// <summary>The active models users can pick, optionally of one kind, in display order.</summary>
internal sealed class ListModels(CatalogDbContext db) : IUseCaseHandler<ListModelsRequest, ListModelsResponse>
{
    public async Task<Result<ListModelsResponse>> Handle(ListModelsRequest request, CancellationToken cancellationToken)
    {
        var query = db.Models.AsNoTracking().Where(m => m.Active);
        if (request.Kind != ModelKind.Unspecified)
        {
            var kind = request.Kind == ModelKind.Image ? DomainKind.Image : DomainKind.Video;
            query = query.Where(m => m.Kind == kind);
        }

        var models = await query.OrderBy(m => m.SortOrder).ThenBy(m => m.Slug).ToListAsync(cancellationToken);
        var response = new ListModelsResponse();
        response.Models.Add(models.Select(m => m.Adapt<Model>()));
        return response;
    }
}

internal sealed class ListModelsValidator : AbstractValidator<ListModelsRequest>
{
    public ListModelsValidator() => RuleFor(r => r.Kind).IsInEnum().WithMessage("Unknown model kind.");
}
