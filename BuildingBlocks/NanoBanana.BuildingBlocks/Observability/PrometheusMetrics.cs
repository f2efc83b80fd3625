using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace NanoBanana.BuildingBlocks.Observability;

/// <summary>
/// The Host's metrics registry (prometheus-net, ADR 0101), rendered on <c>/metrics</c>. One registry
/// per Host instead of prometheus-net's static default, so several Hosts in one test process do not
/// share counters, and the runtime's EventCounters are not scraped unasked. Code that reports metrics
/// takes <see cref="IMetricFactory"/>, e.g. <c>metrics.CreateGauge("outbox_parked", "…", "schema")</c>;
/// creating an existing name again returns the existing family.
/// </summary>
public static class PrometheusMetrics
{
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<CollectorRegistry>(_ => Metrics.NewCustomRegistry());
        services.TryAddSingleton<IMetricFactory>(provider => Metrics.WithCustomRegistry(provider.GetRequiredService<CollectorRegistry>()));
        return services;
    }

    /// <summary>The registry's exposition text (format 0.0.4), as <c>/metrics</c> serves it.</summary>
    public static async Task<string> RenderAsync(this CollectorRegistry registry, CancellationToken cancellationToken = default)
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }
}
