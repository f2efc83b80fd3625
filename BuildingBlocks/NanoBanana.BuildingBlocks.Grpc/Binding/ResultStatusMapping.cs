using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using NanoBanana.BuildingBlocks.Security;
using RichStatus = Google.Rpc.Status;
using Status = Grpc.Core.Status;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// Maps a failed use-case <see cref="IResult"/> to the <see cref="RpcException"/> that ends the call
/// (ADR 0011, 0105). Invalid carries its field violations as google.rpc.Status + google.rpc.BadRequest in
/// <c>grpc-status-details-bin</c> (Grpc.StatusProto). Error and CriticalError never show their messages:
/// they may name internals. Created and NoContent never get here: Ardalis.Result counts them in IsSuccess
/// and the call answers OK.
/// </summary>
public static class ResultStatusMapping
{
    public const string InternalErrorMessage = "Internal error.";

    public static RpcException ToRpcException(IResult result) => result.Status switch
    {
        ResultStatus.Invalid => Invalid(result),
        ResultStatus.NotFound => Plain(StatusCode.NotFound, MessageOr(result, "Not found.")),
        ResultStatus.Unauthorized => Plain(StatusCode.Unauthenticated, MessageOr(result, "Authentication required.")),
        ResultStatus.Forbidden => Plain(StatusCode.PermissionDenied, MessageOr(result, "Permission denied.")),
        ResultStatus.Conflict => Plain(StatusCode.FailedPrecondition, MessageOr(result, "The request conflicts with the current state.")),
        ResultStatus.Unavailable => Plain(StatusCode.Unavailable, MessageOr(result, "Temporarily unavailable, retry later.")),
        // Error, CriticalError and any status added later: INTERNAL with a fixed text.
        _ => Internal(),
    };

    /// <summary>A refused call: UNAUTHENTICATED, PERMISSION_DENIED, or RESOURCE_EXHAUSTED with google.rpc.RetryInfo.</summary>
    public static RpcException ToRpcException(CallAuthentication authentication) => authentication.Failure switch
    {
        CallAuthenticationFailure.PermissionDenied => Plain(StatusCode.PermissionDenied, authentication.Message),
        CallAuthenticationFailure.ResourceExhausted => new RichStatus
        {
            Code = (int)Code.ResourceExhausted,
            Message = authentication.Message,
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(authentication.RetryAfter ?? TimeSpan.FromSeconds(1)) }) },
        }.ToRpcException(),
        _ => Plain(StatusCode.Unauthenticated, authentication.Message),
    };

    /// <summary>An unexpected failure: INTERNAL with a fixed text, whatever the cause said.</summary>
    public static RpcException Internal() => Plain(StatusCode.Internal, InternalErrorMessage);

    private static RpcException Invalid(IResult result)
    {
        var message = result.ValidationErrors.Any()
            ? "Invalid request: " + string.Join("; ", result.ValidationErrors.Select(e => $"{e.Identifier}: {e.ErrorMessage}"))
            : MessageOr(result, "Invalid request.");
        var badRequest = new BadRequest();
        foreach (var error in result.ValidationErrors)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = error.Identifier, Description = error.ErrorMessage });
        }

        return new RichStatus { Code = (int)Code.InvalidArgument, Message = message, Details = { Any.Pack(badRequest) } }.ToRpcException();
    }

    private static RpcException Plain(StatusCode code, string message) => new(new Status(code, message));

    private static string MessageOr(IResult result, string fallback) =>
        result.Errors.Any() ? string.Join("; ", result.Errors) : fallback;
}
