using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NanoBanana.BuildingBlocks.Observability;

namespace NanoBanana.BuildingBlocks.Grpc.Observability;

/// <summary>Request counters and latency histograms for gRPC methods (per status code) and HTTP routes.</summary>
internal sealed class RequestMetrics(Metrics metrics)
{
    private readonly Counter _grpcHandled = metrics.Counter("grpc_server_handled_total", "gRPC calls completed, by method and status code", "method", "code");
    private readonly Histogram _grpcSeconds = metrics.Histogram("grpc_server_handling_seconds", "gRPC call latency in seconds, by method and status code", Histogram.LatencyBuckets, "method", "code");
    private readonly Counter _httpHandled = metrics.Counter("http_server_requests_total", "HTTP requests (other than gRPC) completed, by method, route and status", "method", "route", "status");
    private readonly Histogram _httpSeconds = metrics.Histogram("http_server_request_duration_seconds", "HTTP request latency in seconds, by method, route and status", Histogram.LatencyBuckets, "method", "route", "status");

    public MethodMetrics ForMethod(string path) => new(this, path);

    public void RecordHttp(string method, string route, int status, double seconds)
    {
        var statusText = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _httpHandled.WithLabels(method, route, statusText).Inc();
        _httpSeconds.WithLabels(method, route, statusText).Observe(seconds);
    }

    /// <summary>The children of one method, cached per status code so a call does no label lookup.</summary>
    internal sealed class MethodMetrics(RequestMetrics owner, string path)
    {
        private static readonly int CodeCount = Enum.GetValues<GrpcStatusCode>().Length;
        private readonly Counter.Child?[] _counts = new Counter.Child?[CodeCount];
        private readonly Histogram.Child?[] _latencies = new Histogram.Child?[CodeCount];

        public void Record(GrpcStatusCode code, double seconds)
        {
            var index = (int)code;
            var name = code.ToString();
            (_counts[index] ??= owner._grpcHandled.WithLabels(path, name)).Inc();
            (_latencies[index] ??= owner._grpcSeconds.WithLabels(path, name)).Observe(seconds);
        }
    }
}

/// <summary>Times every HTTP request that reaches it (gRPC calls are answered before), labelled by its route template (never the raw path).</summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RecordHttp(context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
