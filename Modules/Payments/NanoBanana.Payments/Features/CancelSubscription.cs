using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>Stops renewals; the paid period runs to its end, then the user is on the free plan with their credits.</summary>
internal sealed class CancelSubscription(SubscriptionRenewal renewal) : IUseCaseHandler<CancelSubscriptionRequest, CancelSubscriptionResponse>
{
    public async Task<Result<CancelSubscriptionResponse>> Handle(CancelSubscriptionRequest request, CancellationToken cancellationToken) =>
        (await renewal.SetCanceledAsync(request.UserId, canceled: true, cancellationToken)).Map(s => new CancelSubscriptionResponse { Subscription = s });
}

internal sealed class CancelSubscriptionValidator : AbstractValidator<CancelSubscriptionRequest>
{
    public CancelSubscriptionValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
