using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>The user's running subscription: one whose paid period ends after now (after that the user is on the free plan).</summary>
internal sealed class GetSubscription(PaymentsDbContext db, TimeProvider clock) : IUseCaseHandler<GetSubscriptionRequest, GetSubscriptionResponse>
{
    public async Task<Result<GetSubscriptionResponse>> Handle(GetSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var running = await db.FindRunningSubscriptionAsync(request.UserId, clock.GetUtcNow(), tracked: false, cancellationToken);
        return new GetSubscriptionResponse { Subscription = running?.Adapt<Subscription>() };
    }
}

internal sealed class GetSubscriptionValidator : AbstractValidator<GetSubscriptionRequest>
{
    public GetSubscriptionValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
