using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>The signed-in user (Mini App) stops renewals; the paid period runs to its end, then the free plan with every credit.</summary>
internal sealed class CancelMySubscription(CallContext call, SubscriptionRenewal renewal) : IUseCaseHandler<CancelMySubscriptionRequest, CancelMySubscriptionResponse>
{
    public async Task<Result<CancelMySubscriptionResponse>> Handle(CancelMySubscriptionRequest request, CancellationToken cancellationToken) =>
        call.Principal.IsUser
            ? (await renewal.SetCanceledAsync(call.Principal.UserId, canceled: true, cancellationToken)).Map(s => new CancelMySubscriptionResponse { Subscription = s })
            : Result<CancelMySubscriptionResponse>.Unauthorized("Sign in to change your plan.");
}
