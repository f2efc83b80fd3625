using Ardalis.Result;
using Mapster;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.YooKassa;

namespace NanoBanana.Payments.Features;

/// <summary>The signed-in user's running subscription (Mini App plans screen) and whether card renewals are offered.</summary>
internal sealed class GetMySubscription(CallContext call, PaymentsDbContext db, IOptions<YooKassaOptions> yooKassa, TimeProvider clock)
    : IUseCaseHandler<GetMySubscriptionRequest, GetMySubscriptionResponse>
{
    public async Task<Result<GetMySubscriptionResponse>> Handle(GetMySubscriptionRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<GetMySubscriptionResponse>.Unauthorized("Sign in to see your plan.");
        }

        var running = await db.FindRunningSubscriptionAsync(call.Principal.UserId, clock.GetUtcNow(), tracked: false, cancellationToken);
        return new GetMySubscriptionResponse
        {
            Subscription = running?.Adapt<Subscription>(),
            Autopayments = yooKassa.Value.IsConfigured && yooKassa.Value.Autopayments,
        };
    }
}
