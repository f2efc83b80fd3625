using NanoBanana.BuildingBlocks.Grpc.Transport;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// A served RPC at <c>/{package}.{Service}/{Method}</c>, built once at start-up (the counterpart of
/// Grpc.AspNetCore's bound service method). <see cref="Access"/> null means served without
/// authentication (health, reflection).
/// </summary>
public abstract class ServerMethod(string serviceName, string methodName, MethodAccess? access, bool isClientStreaming = false)
{
    public string ServiceName { get; } = serviceName;

    public string MethodName { get; } = methodName;

    public string Path { get; } = $"/{serviceName}/{methodName}";

    public MethodAccess? Access { get; } = access;

    /// <summary>Reads a request stream of unbounded length (body size and data-rate limits are lifted).</summary>
    public bool IsClientStreaming { get; } = isClientStreaming;

    /// <summary>Runs the call; the returned status is written by the transport.</summary>
    public abstract Task<GrpcStatus> ExecuteAsync(GrpcCall call);
}
