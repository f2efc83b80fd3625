namespace NanoBanana.Payments.Domain;

internal enum SubscriptionStatus
{
    Pending = 1,
    Active = 2,
}

/// <summary>
/// A subscription to one plan, paid with Telegram Stars (ADR 0150) or by card through YooKassa (ADR 0152).
/// Pending until the first period is paid, active from then on. Every paid period is its own order (one per
/// Stars charge or YooKassa payment), so a redelivered payment finds its order and credits nothing; the
/// subscription only remembers the end of the latest period, the first charge (Telegram's handle for
/// editUserStarSubscription), whether renewals are stopped, and for cards the saved payment method that
/// renews it when the user agreed. Running = a period is paid beyond now; expiry needs no job.
/// </summary>
internal sealed class PlanSubscription
{
    public const int PeriodSeconds = 2_592_000;

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(PeriodSeconds);

    public Guid Id { get; init; }

    public long UserId { get; init; }

    public required string PlanId { get; init; }

    public SubscriptionStatus Status { get; private set; } = SubscriptionStatus.Pending;

    public OrderMethod Method { get; init; } = OrderMethod.Stars;

    public long PriceStars { get; init; }

    /// <summary>Card payers' price of one period in kopecks (YooKassa subscriptions; 0 for Stars).</summary>
    public long PriceRubKopecks { get; init; }

    public long CreditsPerPeriod { get; init; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>The first payment's charge id: what editUserStarSubscription names the subscription by.</summary>
    public string? ChargeId { get; private set; }

    /// <summary>No more renewals: the user or the bot stopped them, a renewal failed, or a card payer never agreed to any.</summary>
    public bool Canceled { get; private set; }

    /// <summary>The last renewal was not paid (Telegram's "failed" state, a declined autopayment): the plan ends with the period.</summary>
    public bool RenewalFailed { get; private set; }

    /// <summary>Why it failed: YooKassa's cancellation_details.reason (e.g. insufficient_funds), or "payment_failed" from Telegram.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>YooKassa: the card payer agreed to be charged every period with the saved payment method.</summary>
    public bool AutoRenew { get; private set; }

    /// <summary>YooKassa's saved payment_method.id that renews the plan; null until a payment saved it, cleared when revoked.</summary>
    public string? PaymentMethodId { get; private set; }

    /// <summary>When the renewal job may look at this subscription next (claimed with SKIP LOCKED).</summary>
    public DateTimeOffset NextRenewalCheckAt { get; set; }

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

    public static PlanSubscription Create(long userId, string planId, long priceStars, long creditsPerPeriod, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        PlanId = planId,
        PriceStars = priceStars,
        CreditsPerPeriod = creditsPerPeriod,
        CreatedAt = now,
        UpdatedAt = now,
        NextRenewalCheckAt = now,
    };

    /// <summary>A card subscription: periods bought one at a time; renewed automatically only with <paramref name="autoRenew"/> consent.</summary>
    public static PlanSubscription CreateByCard(long userId, string planId, long priceStars, long priceRubKopecks, long creditsPerPeriod, bool autoRenew, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        PlanId = planId,
        Method = OrderMethod.YooKassa,
        PriceStars = priceStars,
        PriceRubKopecks = priceRubKopecks,
        CreditsPerPeriod = creditsPerPeriod,
        AutoRenew = autoRenew,
        Canceled = !autoRenew,
        CreatedAt = now,
        UpdatedAt = now,
        NextRenewalCheckAt = now,
    };

    /// <summary>
    /// Where a card period paid now ends: 30 days after the running period, or after now when none runs; whole seconds
    /// like Telegram's dates, so the event, the order and the subscription all carry the same moment.
    /// </summary>
    public DateTimeOffset NextPeriodEnd(DateTimeOffset now)
    {
        var end = (ExpiresAt is { } running && running > now ? running : now) + Period;
        return new DateTimeOffset(end.Ticks - (end.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Renewals can be switched back on: Telegram renews a Stars plan; a card plan needs the saved method and the consent.</summary>
    public bool CanResume => Method == OrderMethod.Stars ? !RenewalFailed : AutoRenew && PaymentMethodId is not null;

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

    /// <summary>Stops or restarts renewals (restarting also clears a failure); returns false when nothing changed.</summary>
    public bool SetCanceled(bool canceled, DateTimeOffset now)
    {
        if (Canceled == canceled && (canceled || !RenewalFailed))
        {
            return false;
        }

        Canceled = canceled;
        if (!canceled)
        {
            RenewalFailed = false;
            FailureReason = null;
        }

        UpdatedAt = now;
        return true;
    }

    /// <summary>A card payment saved its method (payment_method.saved); only a consenting subscriber's is kept.</summary>
    public void SavePaymentMethod(string paymentMethodId, DateTimeOffset now)
    {
        if (AutoRenew)
        {
            PaymentMethodId = paymentMethodId;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// The renewal was not paid: no more attempts, the paid period runs out. Returns false when this was already
    /// recorded (a redelivered update or notification), so the user is told once. A revoked permission also drops
    /// the saved method: YooKassa says never to charge it again.
    /// </summary>
    public bool RecordRenewalFailure(string reason, DateTimeOffset now)
    {
        if (RenewalFailed && FailureReason == reason)
        {
            return false;
        }

        RenewalFailed = true;
        FailureReason = reason;
        Canceled = true;
        if (reason == "permission_revoked")
        {
            PaymentMethodId = null;
        }

        UpdatedAt = now;
        return true;
    }
}
