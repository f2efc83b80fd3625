using System.ComponentModel.DataAnnotations;

namespace NanoBanana.Billing;

/// <summary>Configuration section "Billing".</summary>
internal sealed class BillingOptions : IValidatableObject
{
    public const string Section = "Billing";

    private static readonly long[] DefaultDailyRewardAmounts = [1, 2, 3, 4, 5, 6, 10];

    /// <summary>Credits for a new user.</summary>
    [Range(0, 100000)]
    public long WelcomeBonus { get; set; } = 20;

    /// <summary>Percent of a referee's paid credits credited to the referrer on every top-up.</summary>
    [Range(0, 100)]
    public int ReferralSharePercent { get; set; } = 10;

    /// <summary>Credits for a referee on their first top-up.</summary>
    [Range(0, 100000)]
    public long RefereeFirstTopUpBonus { get; set; } = 10;

    /// <summary>How long a hold lives when the caller does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DefaultHoldExpiry { get; set; } = TimeSpan.FromMinutes(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan HoldSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often plan credits without rollover and free allowances past their end are expired (ADR 0161).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan GrantSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>IANA id of the time zone whose midnight starts a new daily-reward day.</summary>
    public string DailyRewardTimeZone { get; set; } = "Europe/Moscow";

    /// <summary>
    /// Credits of streak days 1..N. Null by default because the configuration binder appends to a
    /// pre-filled collection instead of replacing it.
    /// </summary>
    public long[]? DailyRewardAmounts { get; set; }

    public IReadOnlyList<long> StreakAmounts => DailyRewardAmounts is { Length: > 0 } amounts ? amounts : DefaultDailyRewardAmounts;

    public TimeZoneInfo DailyRewardZone => TimeZoneInfo.FindSystemTimeZoneById(DailyRewardTimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(DailyRewardTimeZone, out _))
        {
            yield return new ValidationResult("is not a known time zone id (e.g. Europe/Moscow)", [nameof(DailyRewardTimeZone)]);
        }

        if (DailyRewardAmounts?.Any(amount => amount is < 0 or > 100_000) == true)
        {
            yield return new ValidationResult("every amount must be between 0 and 100000", [nameof(DailyRewardAmounts)]);
        }
    }
}
