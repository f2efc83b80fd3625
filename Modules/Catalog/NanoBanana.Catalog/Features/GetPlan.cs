using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Catalog.Features;

/// <summary>One plan by id, withdrawn ones too: a subscriber keeps the terms of the plan they paid for until the period ends.</summary>
internal sealed class GetPlan(CatalogSnapshot catalog) : IUseCaseHandler<GetPlanRequest, GetPlanResponse>
{
    public async Task<Result<GetPlanResponse>> Handle(GetPlanRequest request, CancellationToken cancellationToken) =>
        await catalog.FindPlanAsync(request.Id, cancellationToken) is { } plan
            ? new GetPlanResponse { Plan = plan }
            : Result<GetPlanResponse>.NotFound($"Plan '{request.Id}' does not exist.");
}

internal sealed class GetPlanValidator : AbstractValidator<GetPlanRequest>
{
    public GetPlanValidator() => RuleFor(r => r.Id).MustBeSlug();
}
