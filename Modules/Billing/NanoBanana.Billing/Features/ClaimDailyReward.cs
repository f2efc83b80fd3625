using Ardalis.Result;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Credits today's daily reward once. The credit is keyed by user and local date, and the streak row is
/// written in the same transaction under the account lock, so double taps and replicas pay once.
/// </summary>
internal sealed class ClaimDailyReward(BillingTransactions transactions, TimeProvider clock, IOptions<BillingOptions> options, CallContext call)
    : IUseCaseHandler<ClaimDailyRewardRequest, ClaimDailyRewardResponse>
{
    public async Task<Result<ClaimDailyRewardResponse>> Handle(ClaimDailyRewardRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<ClaimDailyRewardResponse>();
        }

        var settings = options.Value;
        var (zone, amounts, language) = (settings.DailyRewardZone, settings.StreakAmounts, request.Language);
        return await transactions.RunAsync(
            async session =>
            {
                var now = clock.GetUtcNow();
                var today = DailyStreak.Today(now, zone);
                var nextClaimAt = Timestamp.FromDateTimeOffset(DailyStreak.StartOf(today.AddDays(1), zone));
                var account = await session.LockAccountAsync(userId, now, cancellationToken);
                var streak = await session.ReadStreakAsync(userId, cancellationToken);
                if (streak.ClaimedOn(today))
                {
                    return Result<ClaimDailyRewardResponse>.Success(new ClaimDailyRewardResponse
                    {
                        Claimed = false,
                        StreakDay = streak.Streak,
                        Balance = account.Adapt<Balance>(),
                        NextClaimAt = nextClaimAt,
                        Message = Texts.Catalog.Get(language, "daily.already_claimed"),
                    });
                }

                var day = streak.NextDay(today, amounts.Count);
                var amount = amounts[day - 1];
                await session.ExecuteAsync(
                    """
                    INSERT INTO billing.daily_rewards (user_id, last_claim_date, streak) VALUES (@user, @today, @day)
                    ON CONFLICT (user_id) DO UPDATE SET last_claim_date = excluded.last_claim_date, streak = excluded.streak
                    """,
                    cancellationToken,
                    ("user", userId),
                    ("today", today),
                    ("day", day));
                var credit = await session.CreditAsync(
                    userId, amount, EntryKind.DailyReward, $"daily:{userId}:{today:yyyy-MM-dd}", $"day {day}", call.Principal.Actor, now, cancellationToken);
                return credit.Result.Map(c => new ClaimDailyRewardResponse
                {
                    Claimed = true,
                    Credited = amount,
                    StreakDay = day,
                    Balance = c.Balance,
                    NextClaimAt = nextClaimAt,
                    Message = Texts.Catalog.Get(language, "daily.claimed", day, amount),
                });
            },
            cancellationToken);
    }
}

internal static class DailyRewardRows
{
    public static async Task<DailyStreak> ReadStreakAsync(this LedgerSession session, long userId, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT last_claim_date, streak FROM billing.daily_rewards WHERE user_id = @user", ("user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DailyStreak(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1))
            : new DailyStreak(null, 0);
    }
}

internal sealed class ClaimDailyRewardValidator : AbstractValidator<ClaimDailyRewardRequest>
{
    public ClaimDailyRewardValidator() => RuleFor(r => r.Language).MustBeLanguage();
}
