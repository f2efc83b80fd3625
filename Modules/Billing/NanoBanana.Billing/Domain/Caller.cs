using Ardalis.Result;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Domain;

internal static class Caller
{
    /// <summary>Public methods act only on the signed-in user's own account.</summary>
    public static bool TryGetUser(this CallContext call, out long userId)
    {
        userId = call.Principal.Kind == PrincipalKind.User ? call.Principal.UserId : 0;
        return userId > 0;
    }

    public static Result<T> NotSignedIn<T>() => Result<T>.Unauthorized("Sign in as a user to see or change your credits.");
}
