using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Security;

/// <summary>
/// Turns a call's credentials (<c>authorization</c> and other metadata) and the method's declared
/// access into the principal the use case runs as. The transport calls it before dispatch; the
/// Users module replaces the foundation implementation with real user sessions. A singleton: what it needs of
/// the call (a database context) it takes from <c>callServices</c>, the call's scope.
/// </summary>
public interface ICallAuthenticator
{
    ValueTask<CallAuthentication> AuthenticateAsync(CallMetadata metadata, MethodAccess access, IServiceProvider callServices, CancellationToken cancellationToken);
}

public enum CallAuthenticationFailure
{
    None,

    /// <summary>No or bad credentials (gRPC UNAUTHENTICATED).</summary>
    Unauthenticated,

    /// <summary>Valid credentials without the required role (gRPC PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>The principal is over its rate limit (gRPC RESOURCE_EXHAUSTED with google.rpc.RetryInfo).</summary>
    ResourceExhausted,
}

/// <summary>The outcome of authentication: a principal, or a failure with a message safe to show the caller.</summary>
public sealed record CallAuthentication(Principal? Principal, CallAuthenticationFailure Failure, string Message)
{
    public bool Succeeded => Failure == CallAuthenticationFailure.None;

    /// <summary>For <see cref="CallAuthenticationFailure.ResourceExhausted"/>: when the caller may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static CallAuthentication Success(Principal principal) => new(principal, CallAuthenticationFailure.None, "");

    public static CallAuthentication Unauthenticated(string message) => new(null, CallAuthenticationFailure.Unauthenticated, message);

    public static CallAuthentication PermissionDenied(string message) => new(null, CallAuthenticationFailure.PermissionDenied, message);

    public static CallAuthentication ResourceExhausted(string message, TimeSpan retryAfter) =>
        new(null, CallAuthenticationFailure.ResourceExhausted, message) { RetryAfter = retryAfter };
}
