using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>The price and normalized parameters of a request, checked exactly as a start would check it; nothing is charged.</summary>
internal sealed class QuoteGeneration(JobPlanner planner) : IUseCaseHandler<QuoteGenerationRequest, QuoteGenerationResponse>
{
    public async Task<Result<QuoteGenerationResponse>> Handle(QuoteGenerationRequest request, CancellationToken cancellationToken)
    {
        var planned = await planner.PlanAsync(request.Spec, cancellationToken);
        if (!planned.IsSuccess)
        {
            return planned.ToFailure();
        }

        var spec = planned.Value.Spec.Clone();
        spec.ReferenceImages.Clear(); // The caller has the bytes; echoing up to 40 MB back helps nobody.
        return new QuoteGenerationResponse { PriceCredits = planned.Value.PriceCredits, Spec = spec };
    }
}

internal sealed class QuoteGenerationValidator : AbstractValidator<QuoteGenerationRequest>
{
    public QuoteGenerationValidator() => RuleFor(r => r.Spec).MustBeValidSpec();
}
