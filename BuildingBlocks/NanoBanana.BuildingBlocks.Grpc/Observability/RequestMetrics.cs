using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace NanoBanana.BuildingBlocks.Grpc.Observability;

/// <summary>Request counters and latency histograms for gRPC methods (per status code) and HTTP routes.</summary>
internal sealed class RequestMetrics(IMetricFactory metrics)
{
    private const string UnknownMethodLabel = "unknown";
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter _grpcHandled = metrics.CreateCounter("grpc_server_handled_total", "gRPC calls completed, by method and status code", ["method", "code"]);
    private readonly Histogram _grpcSeconds = metrics.CreateHistogram("grpc_server_handling_seconds", "gRPC call latency in seconds, by method and status code", new HistogramConfiguration { Buckets = LatencyBuckets, LabelNames = ["method", "code"] });
    private readonly Counter _httpHandled = metrics.CreateCounter("http_server_requests_total", "HTTP requests (other than gRPC) completed, by method, route and status", ["method", "route", "status"]);
    private readonly Histogram _httpSeconds = metrics.CreateHistogram("http_server_request_duration_seconds", "HTTP request latency in seconds, by method, route and status", new HistogramConfiguration { Buckets = LatencyBuckets, LabelNames = ["method", "route", "status"] });
    private FrozenDictionary<string, MethodChildren> _served = FrozenDictionary<string, MethodChildren>.Empty;

    /// <summary>The served method paths; any other path is counted as "unknown" so a scanner cannot grow the label set.</summary>
    public void Serve(IEnumerable<string> paths) =>
        _served = paths.Append(UnknownMethodLabel).Distinct().ToFrozenDictionary(path => path, path => new MethodChildren(this, path), StringComparer.Ordinal);

    public void RecordGrpc(string path, StatusCode code, double seconds) =>
        (_served.GetValueOrDefault(path) ?? _served.GetValueOrDefault(UnknownMethodLabel) ?? new MethodChildren(this, UnknownMethodLabel)).Record(code, seconds);

    public void RecordHttp(string method, string route, int status, double seconds)
    {
        var statusText = status.ToString(CultureInfo.InvariantCulture);
        _httpHandled.WithLabels(method, route, statusText).Inc();
        _httpSeconds.WithLabels(method, route, statusText).Observe(seconds);
    }

    /// <summary>One method's series, created once per status code so a call does no label lookup.</summary>
    private sealed class MethodChildren(RequestMetrics owner, string path)
    {
        private const int CodeCount = (int)StatusCode.Unauthenticated + 1;
        private readonly Counter.Child?[] _counts = new Counter.Child?[CodeCount];
        private readonly Histogram.Child?[] _latencies = new Histogram.Child?[CodeCount];

        public void Record(StatusCode code, double seconds)
        {
            if ((uint)code >= CodeCount)
            {
                code = StatusCode.Unknown;
            }

            var index = (int)code;
            (_counts[index] ??= owner._grpcHandled.WithLabels(path, code.ToString())).Inc();
            (_latencies[index] ??= owner._grpcSeconds.WithLabels(path, code.ToString())).Observe(seconds);
        }
    }
}

/// <summary>
/// Times every request. A gRPC call is recorded with the status it ended with, read from the
/// trailers (or the headers of a trailers-only answer), so calls the library refuses before any
/// interceptor runs (unimplemented, oversize, malformed) are counted too; other requests are
/// labelled by their route template (never the raw path).
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        try
        {
            await next(context);
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (grpc)
            {
                metrics.RecordGrpc(context.Request.Path.Value ?? "", StatusOf(context), seconds);
            }
            else
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.RecordHttp(context.Request.Method, route, context.Response.StatusCode, seconds);
            }
        }
    }

    private static StatusCode StatusOf(HttpContext context)
    {
        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers?["grpc-status"] is { Count: > 0 } trailer
            ? trailer.ToString()
            : context.Response.Headers["grpc-status"].ToString();
        return int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code
            : context.RequestAborted.IsCancellationRequested ? StatusCode.Cancelled
            : StatusCode.Unknown;
    }
}
