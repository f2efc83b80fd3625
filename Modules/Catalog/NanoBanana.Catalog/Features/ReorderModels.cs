using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Sets the display order of all models at once; a partial list would leave the order ambiguous, so it is refused.</summary>
internal sealed class ReorderModels(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog) : IUseCaseHandler<ReorderModelsRequest, ReorderModelsResponse>
{
    public async Task<Result<ReorderModelsResponse>> Handle(ReorderModelsRequest request, CancellationToken cancellationToken)
    {
        var models = await db.Models.ToDictionaryAsync(m => m.Slug, StringComparer.Ordinal, cancellationToken);
        var unknown = request.Slugs.Where(s => !models.ContainsKey(s)).ToList();
        if (unknown.Count > 0)
        {
            return Result<ReorderModelsResponse>.Invalid(new ValidationError("slugs", $"Unknown models: {string.Join(", ", unknown)}."));
        }

        var missing = models.Keys.Except(request.Slugs, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return Result<ReorderModelsResponse>.Invalid(new ValidationError("slugs", $"Every model must be listed; missing: {string.Join(", ", missing)}."));
        }

        var now = clock.GetUtcNow();
        for (var i = 0; i < request.Slugs.Count; i++)
        {
            var model = models[request.Slugs[i]];
            model.SortOrder = (i + 1) * 10;
            model.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        var response = new ReorderModelsResponse();
        response.Models.Add(request.Slugs.Select(s => models[s].Adapt<Model>()));
        return response;
    }
}

internal sealed class ReorderModelsValidator : AbstractValidator<ReorderModelsRequest>
{
    public ReorderModelsValidator()
    {
        RuleFor(r => r.Slugs).NotEmpty().WithMessage("List the models in the wanted order.");
        RuleFor(r => r.Slugs).Must(s => s.Distinct(StringComparer.Ordinal).Count() == s.Count).WithMessage("A model is listed twice.");
        RuleForEach(r => r.Slugs).MustBeSlug();
    }
}
