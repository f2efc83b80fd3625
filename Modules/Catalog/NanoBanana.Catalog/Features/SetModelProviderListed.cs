using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog.Features;

/// <summary>
/// Hides a model whose provider no longer lists its id, or shows it again. Only while the row still holds the
/// checked id: an operator who fixed the id meanwhile (UpsertModel clears the flag) is not overruled by a stale check.
/// </summary>
internal sealed class SetModelProviderListed(CatalogDbContext db, TimeProvider clock, CatalogSnapshot catalog)
    : IUseCaseHandler<SetModelProviderListedRequest, SetModelProviderListedResponse>
{
    public async Task<Result<SetModelProviderListedResponse>> Handle(SetModelProviderListedRequest request, CancellationToken cancellationToken)
    {
        var unlisted = !request.Listed;
        var changed = await db.Models
            .Where(m => m.Slug == request.Slug && m.ProviderModelId == request.ProviderModelId && m.ProviderUnlisted != unlisted)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ProviderUnlisted, unlisted).SetProperty(m => m.UpdatedAt, clock.GetUtcNow()), cancellationToken);
        if (changed > 0)
        {
            catalog.Invalidate();
        }

        return new SetModelProviderListedResponse { Changed = changed > 0 };
    }
}

internal sealed class SetModelProviderListedValidator : AbstractValidator<SetModelProviderListedRequest>
{
    public SetModelProviderListedValidator()
    {
        RuleFor(r => r.Slug).MustBeSlug();
        RuleFor(r => r.ProviderModelId).NotEmpty().WithMessage("The checked provider model id is required.");
    }
}
