using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Catalog.Features;

/// <summary>The models users can pick (active, provider id still listed), optionally of one kind, in display order.</summary>
internal sealed class ListModels(CatalogSnapshot catalog) : IUseCaseHandler<ListModelsRequest, ListModelsResponse>
{
    public async Task<Result<ListModelsResponse>> Handle(ListModelsRequest request, CancellationToken cancellationToken) =>
        await catalog.ActiveModelsAsync(request.Kind, cancellationToken);
}

internal sealed class ListModelsValidator : AbstractValidator<ListModelsRequest>
{
    public ListModelsValidator() => RuleFor(r => r.Kind).IsDefinedEnum().WithMessage("Unknown model kind.");
}
