using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Grpc.Observability;
using NanoBanana.BuildingBlocks.Grpc.Transport;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>
/// The gRPC front door: recognises gRPC and gRPC-Web requests by content type, answers CORS,
/// applies deadlines, metadata and the access policy, runs the bound method and always ends the
/// call with a gRPC status (never an HTTP error page once the request is recognised as gRPC).
/// </summary>
internal sealed partial class GrpcDispatcher
{
    private const string UnknownMethodLabel = "unknown";
    private static readonly FrozenSet<string> TransportHeaders = FrozenSet.ToFrozenSet(
        ["content-type", "content-length", "te", "host", "connection", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "accept-encoding"],
        StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, (ServerMethod Method, RequestMetrics.MethodMetrics Metrics)> _methods;
    private readonly RequestMetrics.MethodMetrics _unknownMetrics;
    private readonly GrpcServerOptions _options;
    private readonly ICorsService _cors;
    private readonly CorsPolicy _corsPolicy;
    private readonly ILogger<GrpcDispatcher> _logger;

    public GrpcDispatcher(IEnumerable<ServerMethod> methods, GrpcServerOptions options, RequestMetrics metrics, ICorsService cors, ILogger<GrpcDispatcher> logger)
    {
        var table = new Dictionary<string, (ServerMethod, RequestMetrics.MethodMetrics)>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            if (!table.TryAdd(method.Path, (method, metrics.ForMethod(method.Path))))
            {
                throw new InvalidOperationException($"gRPC method {method.Path} is declared twice.");
            }
        }

        _methods = table.ToFrozenDictionary(StringComparer.Ordinal);
        _unknownMetrics = metrics.ForMethod(UnknownMethodLabel);
        _options = options;
        _cors = cors;
        _corsPolicy = new CorsPolicyBuilder()
            .WithOrigins(options.CorsOrigins)
            .WithMethods(HttpMethods.Post)
            .WithHeaders("x-grpc-web", "x-user-agent", "grpc-timeout", "grpc-accept-encoding", "grpc-encoding", "authorization", "content-type")
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))
            .Build();
        _logger = logger;
    }

    public IEnumerable<ServerMethod> Methods => _methods.Values.Select(entry => entry.Method);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method") && LooksLikeGrpcPath(request.Path))
        {
            var preflight = _cors.EvaluatePolicy(context, _corsPolicy);
            _cors.ApplyResult(preflight, context.Response);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        switch (GrpcWire.MatchContentType(request.ContentType, out var mode))
        {
            case GrpcWire.ContentTypeMatch.NotGrpc:
                await next(context);
                return;
            case GrpcWire.ContentTypeMatch.Unsupported:
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
        }

        if (mode == GrpcWireMode.Native && !HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            // Native gRPC needs HTTP/2 trailers: this is the HTTP/1.1 port (gRPC-Web works here).
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "h2c";
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (mode != GrpcWireMode.Native && request.Headers.Origin.Count > 0)
        {
            _cors.ApplyResult(_cors.EvaluatePolicy(context, _corsPolicy), context.Response);
        }

        await DispatchAsync(context, mode);
    }

    private async Task DispatchAsync(HttpContext context, GrpcWireMode mode)
    {
        var started = Stopwatch.GetTimestamp();
        var found = _methods.TryGetValue(context.Request.Path.Value ?? "", out var entry);
        var timeout = GrpcWire.ParseTimeout(context.Request.Headers["grpc-timeout"]);
        using var deadline = timeout is { } after ? new CancellationTokenSource(after) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        var call = new GrpcCall(context, mode, _options, linked?.Token ?? context.RequestAborted);

        GrpcStatus status;
        try
        {
            status = found ? await RunAsync(context, call, entry.Method) : new GrpcStatus(GrpcStatusCode.Unimplemented, $"Method {context.Request.Path} is not implemented.");
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client reset the call: nobody is listening for a status.
            (found ? entry.Metrics : _unknownMetrics).Record(GrpcStatusCode.Cancelled, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return;
        }
        catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true)
        {
            status = new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (GrpcStatusException exception)
        {
            status = exception.Status;
        }
        catch (Exception exception)
        {
            LogUnhandled(_logger, exception, context.Request.Path.Value);
            status = new GrpcStatus(GrpcStatusCode.Internal, ResultStatusMapping.InternalErrorMessage);
        }

        try
        {
            await call.WriteStatusAsync(status);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            status = new GrpcStatus(GrpcStatusCode.Cancelled, "");
        }

        (found ? entry.Metrics : _unknownMetrics).Record(status.Code, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<GrpcStatus> RunAsync(HttpContext context, GrpcCall call, ServerMethod method)
    {
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers["grpc-accept-encoding"] = GrpcWire.AcceptedEncodings;
            return new GrpcStatus(GrpcStatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'.");
        }

        // The transport bounds what it buffers itself (one frame of MaxMessageBytes), so Kestrel's body cap is lifted.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        if (method.IsClientStreaming && context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } dataRate)
        {
            // A reflection client may idle between requests on its stream.
            dataRate.MinDataRate = null;
        }

        var metadata = call.Services.GetRequiredService<CallMetadata>();
        foreach (var (key, value) in context.Request.Headers)
        {
            if (key[0] != ':' && !TransportHeaders.Contains(key))
            {
                metadata.Set(key.ToLowerInvariant(), value.ToString());
            }
        }

        metadata.RemoteAddress = context.Connection.RemoteIpAddress?.ToString();
        if (method.Access is { } access)
        {
            var authentication = await call.Services.GetRequiredService<ICallAuthenticator>().AuthenticateAsync(metadata, access, call.CancellationToken);
            if (!authentication.Succeeded)
            {
                return ResultStatusMapping.ToStatus(authentication);
            }

            call.Services.GetRequiredService<CallContext>().Principal = authentication.Principal!;
        }

        return await method.ExecuteAsync(call);
    }

    private bool LooksLikeGrpcPath(PathString path) =>
        path.Value is { } value && (_methods.ContainsKey(value) || (value.Count(c => c == '/') == 2 && value.IndexOf('.', StringComparison.Ordinal) > 0));

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC call {Method} failed with an unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string? method);
}
