using NanoBanana.BuildingBlocks.Observability;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void Renders_counters_gauges_and_cumulative_histograms_in_prometheus_text_format()
    {
        var metrics = new Metrics();
        metrics.Counter("jobs_total", "Jobs done", "kind").WithLabels("im\"age").Inc(2);
        metrics.Gauge("outbox_parked", "Parked messages").Set(3);
        var histogram = metrics.Histogram("latency_seconds", "Latency", [0.1, 1], "route");
        histogram.WithLabels("/x").Observe(0.05);
        histogram.WithLabels("/x").Observe(0.5);
        histogram.WithLabels("/x").Observe(5);

        var text = metrics.Render();

        Assert.Contains("# TYPE jobs_total counter\njobs_total{kind=\"im\\\"age\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE outbox_parked gauge\noutbox_parked 3\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_sum{route=\"/x\"} 5.55\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_count{route=\"/x\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_a_name_again_returns_the_same_family_and_a_type_clash_is_refused()
    {
        var metrics = new Metrics();
        var first = metrics.Counter("x_total", "X");

        Assert.Same(first, metrics.Counter("x_total", "X"));
        Assert.Throws<InvalidOperationException>(() => metrics.Gauge("x_total", "X"));
        Assert.Throws<ArgumentException>(() => first.WithLabels("unexpected"));
    }

    [Fact]
    public void Instruments_of_our_meters_appear_in_the_registry()
    {
        var metrics = new Metrics();
        using var bridge = new MeterBridge(metrics, "NanoBanana.Tests.Bridge");
        using var meter = new System.Diagnostics.Metrics.Meter("NanoBanana.Tests.Bridge");
        using var foreign = new System.Diagnostics.Metrics.Meter("Other.Library");
        meter.CreateCounter<long>("outbox_parked_total").Add(2);
        meter.CreateObservableGauge("queue_depth", () => 7);
        foreign.CreateCounter<long>("foreign_total").Add(1);

        var text = metrics.Render();

        Assert.Contains("outbox_parked_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("queue_depth 7\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("foreign_total", text, StringComparison.Ordinal);
    }
}
