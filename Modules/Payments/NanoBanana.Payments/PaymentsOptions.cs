using System.ComponentModel.DataAnnotations;

namespace NanoBanana.Payments;

internal sealed class PaymentsOptions
{
    /// <summary>An unpaid order is cancelled after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A pending YooKassa order older than this is re-fetched (its notification may be lost).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a replica looks for orders to reconcile or expire.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed order is left alone before it is looked at again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RecheckDelay { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 10000)]
    public int ReconcileBatchSize { get; set; } = 50;

    /// <summary>How often WatchTopUp re-reads a pending order.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The offline provider with its local confirmation page; never enable in production.</summary>
    public bool SandboxEnabled { get; set; }

    /// <summary>Absolute base of links to this Host (sandbox page); empty → links relative to the HTTP port.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;
}
