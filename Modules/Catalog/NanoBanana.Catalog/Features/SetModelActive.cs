using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>Switches a model on or off for users (jobs already running are unaffected).</summary>
internal sealed class SetModelActive(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog) : IUseCaseHandler<SetModelActiveRequest, SetModelActiveResponse>
{
    public async Task<Result<SetModelActiveResponse>> Handle(SetModelActiveRequest request, CancellationToken cancellationToken)
    {
        var model = await db.Models.SingleOrDefaultAsync(m => m.Slug == request.Slug, cancellationToken);
        if (model is null)
        {
            return Result<SetModelActiveResponse>.NotFound($"Model '{request.Slug}' does not exist.");
        }

        model.Active = request.Active;
        model.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        catalog.Invalidate();
        return new SetModelActiveResponse { Model = model.Adapt<Model>() };
    }
}

internal sealed class SetModelActiveValidator : AbstractValidator<SetModelActiveRequest>
{
    public SetModelActiveValidator() => RuleFor(r => r.Slug).MustBeSlug();
}
