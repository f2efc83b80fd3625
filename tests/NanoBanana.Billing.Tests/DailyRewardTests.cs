using NanoBanana.Billing.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

/// <summary>Day boundaries are Moscow midnights (UTC+3): 21:00 UTC.</summary>
public sealed class DailyRewardTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private static readonly DateTimeOffset MoscowMidnight = new(2026, 3, 10, 21, 0, 0, TimeSpan.Zero);

    private Task<ClaimDailyRewardResponse> ClaimAsync(long user, string language = "") =>
        billing.AsUser(user, new ClaimDailyRewardRequest { Language = language }).ContinueWith(t => t.Result.Value, TaskScheduler.Default);

    [Fact]
    public async Task Once_per_Moscow_day_with_the_boundary_at_Moscow_midnight()
    {
        var user = billing.NewUser();
        billing.Clock.Set(MoscowMidnight.AddMinutes(-2));

        var first = await ClaimAsync(user);
        var again = await ClaimAsync(user, "en");
        billing.Clock.Set(MoscowMidnight.AddMinutes(1)); // same UTC date, next Moscow day
        var nextDay = await ClaimAsync(user);

        Assert.True(first.Claimed);
        Assert.Equal((1, 1L), (first.StreakDay, first.Credited));
        Assert.Equal(MoscowMidnight, first.NextClaimAt.ToDateTimeOffset());
        Assert.False(again.Claimed);
        Assert.Equal(0, again.Credited);
        Assert.Equal("You have already claimed today's reward. Come back tomorrow!", again.Message);
        Assert.True(nextDay.Claimed);
        Assert.Equal((2, 2L), (nextDay.StreakDay, nextDay.Credited));
        Assert.Equal(3, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_seven_day_streak_pays_1_to_6_then_10_and_starts_over()
    {
        var user = billing.NewUser();
        var paid = new List<long>();
        for (var day = 0; day < 8; day++)
        {
            billing.Clock.Set(MoscowMidnight.AddDays(day).AddHours(10));
            paid.Add((await ClaimAsync(user)).Credited);
        }

        Assert.Equal([1L, 2, 3, 4, 5, 6, 10, 1], paid);
    }

    [Fact]
    public async Task A_missed_day_resets_the_streak()
    {
        var user = billing.NewUser();
        billing.Clock.Set(MoscowMidnight.AddHours(1));
        await ClaimAsync(user);
        billing.Clock.Set(MoscowMidnight.AddDays(1).AddHours(1));
        await ClaimAsync(user);

        billing.Clock.Set(MoscowMidnight.AddDays(3).AddHours(1));
        var status = await billing.AsUser(user, new GetDailyRewardStatusRequest());
        var afterGap = await ClaimAsync(user);

        Assert.True(status.Value.CanClaim);
        Assert.Equal(1, status.Value.NextStreakDay);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 10], status.Value.Amounts);
        Assert.Equal((1, 1L), (afterGap.StreakDay, afterGap.Credited));
    }

    [Fact]
    public async Task Status_after_a_claim_points_at_tomorrow()
    {
        var user = billing.NewUser();
        billing.Clock.Set(MoscowMidnight.AddHours(5));
        await ClaimAsync(user);

        var status = (await billing.AsUser(user, new GetDailyRewardStatusRequest())).Value;

        Assert.False(status.CanClaim);
        Assert.Equal((2, 2L), (status.NextStreakDay, status.NextAmount));
        Assert.Equal(MoscowMidnight.AddDays(1), status.NextClaimAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task Simultaneous_claims_pay_once()
    {
        var user = billing.NewUser();
        billing.Clock.Set(MoscowMidnight.AddHours(3));

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => ClaimAsync(user))));

        Assert.Single(results, r => r.Claimed);
        Assert.Equal(1, (await billing.BalanceAsync(user)).Available);
    }
}
