namespace NanoBanana.Payments.Domain;

internal enum OrderMethod
{
    Stars = 1,
    YooKassa = 2,
    Sandbox = 3,
}

internal enum OrderStatus
{
    Pending = 1,
    Succeeded = 2,
    Cancelled = 3,
    PartiallyRefunded = 4,
    Refunded = 5,
}

/// <summary>
/// One top-up: a package bought by one user with one method, or one paid period of a plan subscription. Status moves pending → succeeded |
/// cancelled, and succeeded → (partially) refunded. A provider-confirmed payment also settles a
/// cancelled order (the money arrived after the order expired; it is credited, not lost).
/// </summary>
internal sealed class TopUpOrder
{
    public Guid Id { get; init; }

    public long UserId { get; init; }

    public required string PackageId { get; init; }

    public OrderMethod Method { get; init; }

    public OrderStatus Status { get; private set; } = OrderStatus.Pending;

    /// <summary>Kopecks for RUB, whole Stars for XTR.</summary>
    public long AmountMinor { get; private set; }

    public required string Currency { get; init; }

    public long Credits { get; init; }

    public long BonusCredits { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>YooKassa payment id or Telegram's telegram_payment_charge_id; unique per method.</summary>
    public string? ProviderPaymentId { get; set; }

    public string? CheckoutUrl { get; set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public long ProviderFeeMinor { get; private set; }

    public long TaxMinor { get; private set; }

    public long RefundedMinor { get; private set; }

    public long RefundedCredits { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>When the reconciliation job may look at this order next (claimed with SKIP LOCKED).</summary>
    public DateTimeOffset NextCheckAt { get; set; }

    /// <summary>The order whose invoice was paid again, for a Stars re-payment of an already settled invoice.</summary>
    public Guid? RepeatOf { get; init; }

    /// <summary>Set when the order is one paid period of a plan subscription (ADR 0150); PackageId is then the plan id.</summary>
    public Guid? SubscriptionId { get; init; }

    public DateTimeOffset? PeriodEndsAt { get; private set; }

    public long NetMinor => AmountMinor - ProviderFeeMinor - TaxMinor - RefundedMinor;

    public long TotalCredits => Credits + BonusCredits;

    public bool IsFinal => Status is not OrderStatus.Pending;

    public bool IsPaid => Status is OrderStatus.Succeeded or OrderStatus.PartiallyRefunded or OrderStatus.Refunded;

    /// <summary>One paid period of a Stars subscription, created as it is paid (there is no pending period).</summary>
    public static TopUpOrder ForPeriod(PlanSubscription subscription, long paidStars, DateTimeOffset periodEndsAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = subscription.UserId,
        PackageId = subscription.PlanId,
        Method = OrderMethod.Stars,
        AmountMinor = paidStars,
        Currency = "XTR",
        Credits = subscription.CreditsPerPeriod,
        CreatedAt = now,
        ExpiresAt = now,
        NextCheckAt = now,
        SubscriptionId = subscription.Id,
        PeriodEndsAt = periodEndsAt,
    };

    public static TopUpOrder Create(long userId, PackageSnapshot package, OrderMethod method, TimeSpan lifetime, DateTimeOffset now, Guid? repeatOf = null)
    {
        var (amount, currency) = method == OrderMethod.Stars ? (package.PriceStars, "XTR") : (package.PriceRubKopecks, "RUB");
        return new TopUpOrder
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            PackageId = package.Id,
            Method = method,
            AmountMinor = amount,
            Currency = currency,
            Credits = package.Credits,
            BonusCredits = package.BonusCredits,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            NextCheckAt = now,
            RepeatOf = repeatOf,
        };
    }

    /// <summary>
    /// A card plan period, pending until YooKassa confirms it; the period's end is set when it is paid
    /// (<see cref="StartPeriod"/>), after whatever period runs then.
    /// </summary>
    public static TopUpOrder ForCardPeriod(PlanSubscription subscription, TimeSpan lifetime, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = subscription.UserId,
        PackageId = subscription.PlanId,
        Method = OrderMethod.YooKassa,
        AmountMinor = subscription.PriceRubKopecks,
        Currency = "RUB",
        Credits = subscription.CreditsPerPeriod,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
        NextCheckAt = now,
        SubscriptionId = subscription.Id,
    };

    public void StartPeriod(DateTimeOffset periodEndsAt) => PeriodEndsAt = periodEndsAt;

    /// <summary>
    /// Marks the order paid. Returns false (and changes nothing) when it already was: the caller
    /// publishes PaymentSucceeded only on true, under the order's row lock, hence once per order.
    /// </summary>
    public bool MarkSucceeded(string providerPaymentId, long paidAmountMinor, Accounting accounting, DateTimeOffset now)
    {
        if (IsPaid)
        {
            return false;
        }

        Status = OrderStatus.Succeeded;
        ProviderPaymentId = providerPaymentId;
        AmountMinor = paidAmountMinor;
        PaidAt = now;
        ProviderFeeMinor = accounting.FeeOf(Method, paidAmountMinor);
        TaxMinor = accounting.TaxOf(Method, paidAmountMinor);
        CheckoutUrl = null;
        return true;
    }

    /// <summary>Cancels a pending order; anything else is left alone.</summary>
    public bool Cancel(DateTimeOffset now)
    {
        if (Status != OrderStatus.Pending)
        {
            return false;
        }

        Status = OrderStatus.Cancelled;
        CancelledAt = now;
        CheckoutUrl = null;
        return true;
    }

    public void RecordRefund(long amountMinor, long credits)
    {
        RefundedMinor += amountMinor;
        RefundedCredits += credits;
        Status = RefundedMinor >= AmountMinor ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
    }

    /// <summary>Credits taken back for refunding <paramref name="amountMinor"/>: proportional, the whole rest on a full refund.</summary>
    public long CreditsFor(long amountMinor) =>
        RefundedMinor + amountMinor >= AmountMinor
            ? TotalCredits - RefundedCredits
            : (long)Math.Ceiling((decimal)TotalCredits * amountMinor / AmountMinor);
}

/// <summary>What an order copies from Catalog's package at creation (prices may change later; the order keeps its own).</summary>
internal sealed record PackageSnapshot(string Id, string TitleRu, string TitleEn, long Credits, long BonusCredits, long PriceRubKopecks, long PriceStars);
