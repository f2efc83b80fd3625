namespace NanoBanana.Payments;

internal sealed class PaymentsOptions
{
    /// <summary>An unpaid order is cancelled after this long.</summary>
    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A pending YooKassa order older than this is re-fetched (its notification may be lost).</summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a replica looks for orders to reconcile or expire.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed order is left alone before it is looked at again.</summary>
    public TimeSpan RecheckDelay { get; set; } = TimeSpan.FromMinutes(5);

    public int ReconcileBatchSize { get; set; } = 50;

    /// <summary>How often WatchTopUp re-reads a pending order.</summary>
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The offline provider with its local confirmation page; never enable in production.</summary>
    public bool SandboxEnabled { get; set; }

    /// <summary>Absolute base of links to this Host (sandbox page); empty → links relative to the HTTP port.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;
}
