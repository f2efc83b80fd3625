using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>Whether the caller can claim now, which streak day and amount that would be, and when the next day starts.</summary>
internal sealed class GetDailyRewardStatus(BillingTransactions transactions, TimeProvider clock, IOptions<BillingOptions> options, CallContext call)
    : IUseCaseHandler<GetDailyRewardStatusRequest, GetDailyRewardStatusResponse>
{
    public async Task<Result<GetDailyRewardStatusResponse>> Handle(GetDailyRewardStatusRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<GetDailyRewardStatusResponse>();
        }

        var settings = options.Value;
        var (zone, amounts) = (settings.DailyRewardZone, settings.StreakAmounts);
        var streak = await transactions.ReadAsync(session => session.ReadStreakAsync(userId, cancellationToken), cancellationToken);
        var now = clock.GetUtcNow();
        var today = DailyStreak.Today(now, zone);
        var canClaim = !streak.ClaimedOn(today);
        var claimDay = canClaim ? today : today.AddDays(1);
        var nextDay = streak.NextDay(claimDay, amounts.Count);
        var response = new GetDailyRewardStatusResponse
        {
            CanClaim = canClaim,
            NextStreakDay = nextDay,
            NextAmount = amounts[nextDay - 1],
            NextClaimAt = Timestamp.FromDateTimeOffset(canClaim ? now : DailyStreak.StartOf(claimDay, zone)),
        };
        response.Amounts.Add(amounts);
        return response;
    }
}
