using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Catalog.Features;

/// <summary>One model by slug. Inactive models are found too: a job started before a model was switched off still needs its card.</summary>
internal sealed class GetModel(CatalogSnapshot catalog) : IUseCaseHandler<GetModelRequest, GetModelResponse>
{
    public async Task<Result<GetModelResponse>> Handle(GetModelRequest request, CancellationToken cancellationToken)
    {
        var model = await catalog.FindModelAsync(request.Slug, cancellationToken);
        return model is null
            ? Result<GetModelResponse>.NotFound($"Model '{request.Slug}' does not exist.")
            : new GetModelResponse { Model = model };
    }
}

internal sealed class GetModelValidator : AbstractValidator<GetModelRequest>
{
    public GetModelValidator() => RuleFor(r => r.Slug).MustBeSlug();
}
