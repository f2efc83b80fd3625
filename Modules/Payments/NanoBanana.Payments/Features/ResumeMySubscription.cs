using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>The signed-in user (Mini App) switches renewals back on (Stars: through Telegram; card: with the saved card they agreed to).</summary>
internal sealed class ResumeMySubscription(CallContext call, SubscriptionRenewal renewal) : IUseCaseHandler<ResumeMySubscriptionRequest, ResumeMySubscriptionResponse>
{
    public async Task<Result<ResumeMySubscriptionResponse>> Handle(ResumeMySubscriptionRequest request, CancellationToken cancellationToken) =>
        call.Principal.IsUser
            ? (await renewal.SetCanceledAsync(call.Principal.UserId, canceled: false, cancellationToken)).Map(s => new ResumeMySubscriptionResponse { Subscription = s })
            : Result<ResumeMySubscriptionResponse>.Unauthorized("Sign in to change your plan.");
}
