using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation.Features;

/// <summary>The price of a choice for an uploaded video under the user's plan, computed exactly as the start computes it; nothing is charged.</summary>
internal sealed class QuoteVideoTools(VideoToolsPlanner planner) : IUseCaseHandler<QuoteVideoToolsRequest, QuoteVideoToolsResponse>
{
    public async Task<Result<QuoteVideoToolsResponse>> Handle(QuoteVideoToolsRequest request, CancellationToken cancellationToken)
    {
        var planned = await planner.PlanAsync(request.UserId, request.UploadId, request.Choice, cancellationToken);
        return planned.IsSuccess
            ? new QuoteVideoToolsResponse { PriceCredits = planned.Value.PriceCredits, BilledMinutes = planned.Value.BilledMinutes, Watermark = planned.Value.Allowance.Watermark, PlanId = planned.Value.Allowance.PlanId, MaxOutputSide = planned.Value.Allowance.MaxOutputSide }
            : planned.ToFailure();
    }
}

internal sealed class QuoteVideoToolsValidator : AbstractValidator<QuoteVideoToolsRequest>
{
    public QuoteVideoToolsValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Choice).MustBeValidChoice();
    }
}
