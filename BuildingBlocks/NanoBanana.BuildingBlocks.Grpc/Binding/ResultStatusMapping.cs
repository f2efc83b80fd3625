using Ardalis.Result;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// Maps a use-case <see cref="IResult"/> to a gRPC status (ADR 0011, 0105). Invalid carries its
/// field violations as google.rpc.Status + google.rpc.BadRequest in <c>grpc-status-details-bin</c>.
/// Error and CriticalError never show their messages: they may name internals. Created and NoContent
/// are successes (Ardalis.Result counts them in IsSuccess) and map to OK.
/// </summary>
public static class ResultStatusMapping
{
    public const string InternalErrorMessage = "Internal error.";

    public static GrpcStatus ToStatus(IResult result) => result.Status switch
    {
        ResultStatus.Ok or ResultStatus.Created or ResultStatus.NoContent => GrpcStatus.Ok,
        ResultStatus.Invalid => Invalid(result),
        ResultStatus.NotFound => new(GrpcStatusCode.NotFound, MessageOr(result, "Not found.")),
        ResultStatus.Unauthorized => new(GrpcStatusCode.Unauthenticated, MessageOr(result, "Authentication required.")),
        ResultStatus.Forbidden => new(GrpcStatusCode.PermissionDenied, MessageOr(result, "Permission denied.")),
        ResultStatus.Conflict => new(GrpcStatusCode.FailedPrecondition, MessageOr(result, "The request conflicts with the current state.")),
        ResultStatus.Unavailable => new(GrpcStatusCode.Unavailable, MessageOr(result, "Temporarily unavailable, retry later.")),
        // Error, CriticalError and any status added later: INTERNAL with a fixed text.
        _ => new(GrpcStatusCode.Internal, InternalErrorMessage),
    };

    /// <summary>A refused call: UNAUTHENTICATED, PERMISSION_DENIED, or RESOURCE_EXHAUSTED with google.rpc.RetryInfo.</summary>
    public static GrpcStatus ToStatus(CallAuthentication authentication)
    {
        switch (authentication.Failure)
        {
            case CallAuthenticationFailure.PermissionDenied:
                return new GrpcStatus(GrpcStatusCode.PermissionDenied, authentication.Message);
            case CallAuthenticationFailure.ResourceExhausted:
                var retryInfo = new RetryInfo { RetryDelay = Duration.FromTimeSpan(authentication.RetryAfter ?? TimeSpan.FromSeconds(1)) };
                var details = new Google.Rpc.Status
                {
                    Code = (int)GrpcStatusCode.ResourceExhausted,
                    Message = authentication.Message,
                    Details = { Any.Pack(retryInfo) },
                };
                return new GrpcStatus(GrpcStatusCode.ResourceExhausted, authentication.Message, details.ToByteArray());
            default:
                return new GrpcStatus(GrpcStatusCode.Unauthenticated, authentication.Message);
        }
    }

    private static GrpcStatus Invalid(IResult result)
    {
        var message = result.ValidationErrors.Any()
            ? "Invalid request: " + string.Join("; ", result.ValidationErrors.Select(e => $"{e.Identifier}: {e.ErrorMessage}"))
            : MessageOr(result, "Invalid request.");
        var badRequest = new BadRequest();
        foreach (var error in result.ValidationErrors)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = error.Identifier, Description = error.ErrorMessage });
        }

        var details = new Google.Rpc.Status
        {
            Code = (int)GrpcStatusCode.InvalidArgument,
            Message = message,
            Details = { Any.Pack(badRequest) },
        };
        return new GrpcStatus(GrpcStatusCode.InvalidArgument, message, details.ToByteArray());
    }

    private static string MessageOr(IResult result, string fallback) =>
        result.Errors.Any() ? string.Join("; ", result.Errors) : fallback;
}
