namespace NanoBanana.Payments.Domain;

internal enum SubscriptionStatus
{
    Pending = 1,
    Active = 2,
}

/// <summary>
/// A Telegram Stars subscription to one plan (ADR 0150). Issued as an invoice link (pending), active from the
/// first paid period on. Every paid period is its own order (one per telegram_payment_charge_id), so a
/// redelivered payment finds its order and credits nothing; the subscription only remembers the end of the
/// latest period, the first charge (Telegram's handle for editUserStarSubscription) and whether the bot
/// cancelled renewals. Running = a period is paid beyond now; expiry needs no job.
/// </summary>
internal sealed class StarsSubscription
{
    public const int PeriodSeconds = 2_592_000;

    public Guid Id { get; init; }

    public long UserId { get; init; }

    public required string PlanId { get; init; }

    public SubscriptionStatus Status { get; private set; } = SubscriptionStatus.Pending;

    public long PriceStars { get; init; }

    public long CreditsPerPeriod { get; init; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>The first payment's charge id: what editUserStarSubscription names the subscription by.</summary>
    public string? ChargeId { get; private set; }

    public bool Canceled { get; private set; }

    public int PeriodsPaid { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The invoice payload: says "subscription" to pre-checkout and successful_payment, and which one.</summary>
    public string Payload => PayloadPrefix + Id.ToString("N");

    public const string PayloadPrefix = "sub:";

    public static bool TryParsePayload(string payload, out Guid id)
    {
        id = Guid.Empty;
        return payload.StartsWith(PayloadPrefix, StringComparison.Ordinal) && Guid.TryParseExact(payload[PayloadPrefix.Length..], "N", out id);
    }

    public static StarsSubscription Create(long userId, string planId, long priceStars, long creditsPerPeriod, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        PlanId = planId,
        PriceStars = priceStars,
        CreditsPerPeriod = creditsPerPeriod,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public bool IsRunning(DateTimeOffset now) => Status == SubscriptionStatus.Active && ExpiresAt > now;

    /// <summary>A new paid period (the caller has made sure this charge is new): the plan runs until the latest end paid.</summary>
    public void RecordPeriod(string chargeId, DateTimeOffset periodEndsAt, DateTimeOffset now)
    {
        Status = SubscriptionStatus.Active;
        ChargeId ??= chargeId;
        ExpiresAt = ExpiresAt is { } current && current > periodEndsAt ? current : periodEndsAt;
        PeriodsPaid++;
        UpdatedAt = now;
    }

    public void SetCanceled(bool canceled, DateTimeOffset now)
    {
        Canceled = canceled;
        UpdatedAt = now;
    }
}
