using System.Collections.Frozen;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Security;

/// <summary>
/// Runs around every served method (ADR 0100). For a use-case method (its endpoint carries a
/// <see cref="MethodAccess"/>) it copies the call's metadata into <see cref="CallMetadata"/>,
/// authenticates and enters the caller into the request scope's <see cref="CallContext"/>. For every method it turns an
/// unexpected exception into INTERNAL with a fixed text: the library's default would be UNKNOWN
/// with "Exception was thrown by handler.". Runs after the library parsed the request message.
/// </summary>
internal sealed partial class CallAccessInterceptor(ICallAuthenticator authenticator, ILogger<CallAccessInterceptor> logger) : Interceptor
{
    private static readonly FrozenSet<string> TransportHeaders = FrozenSet.ToFrozenSet(
        ["content-type", "content-length", "te", "host", "connection", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "accept-encoding"],
        StringComparer.OrdinalIgnoreCase);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            LogUnhandled(logger, exception, context.Method);
            throw ResultStatusMapping.Internal();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (IsUnexpected(exception, context))
        {
            LogUnhandled(logger, exception, context.Method);
            throw ResultStatusMapping.Internal();
        }
    }

    // A status the handler chose stays; after a deadline or a client reset the library reports the call itself.
    private static bool IsUnexpected(Exception exception, ServerCallContext context) =>
        exception is not RpcException && !context.CancellationToken.IsCancellationRequested;

    private async ValueTask AuthenticateAsync(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.GetEndpoint()?.Metadata.GetMetadata<MethodAccess>() is not { } access)
        {
            return;   // health and reflection are served to everyone
        }

        var services = http.RequestServices;
        var metadata = services.GetRequiredService<CallMetadata>();
        foreach (var (key, value) in http.Request.Headers)
        {
            if (key[0] != ':' && !TransportHeaders.Contains(key))
            {
                metadata.Set(key.ToLowerInvariant(), value.ToString());
            }
        }

        metadata.RemoteAddress = http.Connection.RemoteIpAddress?.ToString();
        var authentication = await authenticator.AuthenticateAsync(metadata, access, services, context.CancellationToken);
        if (!authentication.Succeeded)
        {
            throw ResultStatusMapping.ToRpcException(authentication);
        }

        services.GetRequiredService<CallContext>().Enter(authentication.Principal!);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC call {Method} failed with an unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
