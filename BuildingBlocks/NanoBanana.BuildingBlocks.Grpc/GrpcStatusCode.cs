namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>The gRPC status codes (grpc/grpc doc/statuscodes.md); values are the wire numbers.</summary>
public enum GrpcStatusCode
{
    OK = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

/// <summary>The final status of a call; <paramref name="Details"/> is a serialized google.rpc.Status for <c>grpc-status-details-bin</c>.</summary>
public readonly record struct GrpcStatus(GrpcStatusCode Code, string Message, byte[]? Details = null)
{
    public static GrpcStatus Ok { get; } = new(GrpcStatusCode.OK, "");
}

/// <summary>Ends a call with a status from deep inside the transport (malformed frame, oversized message).</summary>
public sealed class GrpcStatusException(GrpcStatus status) : Exception(status.Message)
{
    public GrpcStatusException(GrpcStatusCode code, string message)
        : this(new GrpcStatus(code, message))
    {
    }

    public GrpcStatus Status { get; } = status;
}
