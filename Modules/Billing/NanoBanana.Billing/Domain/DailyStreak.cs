namespace NanoBanana.Billing.Domain;

/// <summary>
/// Daily-reward rules: one claim per calendar day in the configured zone; claiming on the day after the
/// previous claim continues the streak, any gap restarts it at day 1; after the last day it starts over.
/// </summary>
internal sealed record DailyStreak(DateOnly? LastClaim, int Streak)
{
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The instant <paramref name="day"/> begins in <paramref name="zone"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public bool ClaimedOn(DateOnly today) => LastClaim == today;

    /// <summary>The streak day a claim on <paramref name="today"/> is (1..<paramref name="days"/>).</summary>
    public int NextDay(DateOnly today, int days) =>
        LastClaim is { } last && last.AddDays(1) == today ? (Streak % days) + 1 : 1;
}
