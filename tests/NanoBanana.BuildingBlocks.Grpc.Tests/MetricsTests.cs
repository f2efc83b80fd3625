using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Testing.Echo.V1;
using Prometheus;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>The Host's prometheus-net registry as <c>/metrics</c> serves it.</summary>
public sealed class MetricsTests(EchoServer server) : IClassFixture<EchoServer>
{
    private GrpcTestClient Client => server.Client;

    [Fact]
    public async Task Metrics_a_module_reports_are_served_in_prometheus_text_format()
    {
        var metrics = server.Services.GetRequiredService<IMetricFactory>();
        metrics.CreateCounter("jobs_total", "Jobs done", ["kind"]).WithLabels("im\"age").Inc(2);
        metrics.CreateGauge("queue_depth", "Queued jobs").Set(3);
        var histogram = metrics.CreateHistogram("latency_seconds", "Latency", new HistogramConfiguration { Buckets = [0.1, 1], LabelNames = ["route"] });
        histogram.WithLabels("/x").Observe(0.05);
        histogram.WithLabels("/x").Observe(0.5);
        histogram.WithLabels("/x").Observe(5);

        var (contentType, text) = await ScrapeAsync();

        Assert.Equal("text/plain", contentType);
        Assert.Contains("# TYPE jobs_total counter\njobs_total{kind=\"im\\\"age\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE queue_depth gauge\nqueue_depth 3\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_sum{route=\"/x\"} 5.55\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_count{route=\"/x\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_the_library_refuses_before_any_handler_are_counted_with_their_status()
    {
        await Client.CallAsync("/no.Such/Method", new EchoRequest());
        await Client.CallAsync("/testing.v1.EchoService/Echo", new EchoRequest { Text = new string('x', EchoServer.MaxMessageBytes + 1) });
        await Client.SendAsync("/testing.v1.EchoService/Echo", [0, 0, 0, 0, 9, 1, 2]);
        await Client.CallAsync("/testing.v1.EchoService/WhoAmI", new WhoAmIRequest());

        var (_, text) = await ScrapeAsync();

        Assert.Contains($"grpc_server_handled_total{{method=\"unknown\",code=\"{StatusCode.Unimplemented}\"}}", text, StringComparison.Ordinal);
        Assert.Contains($"grpc_server_handled_total{{method=\"/testing.v1.EchoService/Echo\",code=\"{StatusCode.ResourceExhausted}\"}}", text, StringComparison.Ordinal);
        Assert.Contains($"grpc_server_handled_total{{method=\"/testing.v1.EchoService/Echo\",code=\"{StatusCode.Internal}\"}}", text, StringComparison.Ordinal);
        Assert.Contains($"grpc_server_handled_total{{method=\"/testing.v1.EchoService/WhoAmI\",code=\"{StatusCode.Unauthenticated}\"}}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no.Such", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_web_calls_are_counted_with_the_status_from_their_body_trailers()
    {
        await Client.CallAsync("/testing.v1.EchoService/Fail", new FailRequest { Failure = Failure.Conflict }, GrpcWireMode.Web);
        await Client.CallAsync("/testing.v1.EchoService/Count", new CountRequest { Count = 2 }, GrpcWireMode.WebText);

        var (_, text) = await ScrapeAsync();

        Assert.Contains($"grpc_server_handled_total{{method=\"/testing.v1.EchoService/Fail\",code=\"{StatusCode.FailedPrecondition}\"}}", text, StringComparison.Ordinal);
        Assert.Contains($"grpc_server_handled_total{{method=\"/testing.v1.EchoService/Count\",code=\"{StatusCode.OK}\"}}", text, StringComparison.Ordinal);
    }

    private async Task<(string? ContentType, string Text)> ScrapeAsync()
    {
        using var response = await Client.SendRawAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpAddress, "/metrics")));
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
