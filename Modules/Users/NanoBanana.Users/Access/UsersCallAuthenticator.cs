using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Access;

/// <summary>
/// Maps a call's <c>authorization</c> and the method's declared access to a principal: PUBLIC needs a
/// session token of a user who is not banned, INTERNAL an unrevoked API key with at least the role,
/// MODULE is never callable remotely. Keys and bans are read from the database on every call, so a
/// revocation or a ban takes effect at once. Every principal is then rate limited per access level.
/// The call's <see cref="UsersDbContext"/> is taken from its scope only when a key or a ban is read, so an
/// anonymous call (the catalog's public reads) never constructs one (ADR 0195); the authenticator itself is a
/// singleton (ADR 0225).
/// </summary>
internal sealed class UsersCallAuthenticator(
    SessionTokens sessions,
    TokenBucketLimiter limiter,
    IOptionsMonitor<RateLimitOptions> limits) : ICallAuthenticator
{
    private const string BearerPrefix = "Bearer ";

    public async ValueTask<CallAuthentication> AuthenticateAsync(CallMetadata metadata, MethodAccess access, IServiceProvider callServices, CancellationToken cancellationToken)
    {
        var authorization = metadata.Get("authorization");
        var decision = access.Level switch
        {
            AccessLevel.Public when access.Anonymous => CallAuthentication.Success(Principal.Anonymous),
            AccessLevel.Public => await AuthenticateUserAsync(Bearer(authorization), callServices, cancellationToken),
            AccessLevel.Internal => await AuthenticateApiKeyAsync(Bearer(authorization), access.Role, callServices, cancellationToken),
            _ => CallAuthentication.PermissionDenied("This method is not callable remotely."),
        };
        return decision.Principal is { } principal ? Limit(principal, metadata.RemoteAddress, decision) : decision;
    }

    private async Task<CallAuthentication> AuthenticateUserAsync(string? token, IServiceProvider callServices, CancellationToken cancellationToken)
    {
        if (token is null || await sessions.VerifyAsync(token, cancellationToken) is not { } userId)
        {
            return CallAuthentication.Unauthenticated("A valid session token is required (sign in with Telegram).");
        }

        var user = await callServices.GetRequiredService<UsersDbContext>().Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Banned }).SingleOrDefaultAsync(cancellationToken);
        return user switch
        {
            null => CallAuthentication.Unauthenticated("The session's user no longer exists."),
            { Banned: true } => CallAuthentication.PermissionDenied("This account is banned."),
            _ => CallAuthentication.Success(Principal.ForUser(userId)),
        };
    }

    private static async Task<CallAuthentication> AuthenticateApiKeyAsync(string? secret, Role required, IServiceProvider callServices, CancellationToken cancellationToken)
    {
        if (secret is null || !ApiKeySecrets.LooksLikeKey(secret))
        {
            return CallAuthentication.Unauthenticated("An API key is required (authorization: Bearer <key>).");
        }

        // Lookup by hash: the unique index finds the row and the secret itself never touches the database.
        var hash = ApiKeySecrets.Hash(secret);
        var key = await callServices.GetRequiredService<UsersDbContext>().ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash && k.RevokedAt == null).Select(k => new { k.Name, k.Role }).SingleOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return CallAuthentication.Unauthenticated("The API key is not valid or was revoked.");
        }

        var least = required == Role.Unspecified ? Role.Readonly : required;
        return key.Role >= least
            ? CallAuthentication.Success(Principal.ForApiKey(key.Name, key.Role))
            : CallAuthentication.PermissionDenied($"The API key's role {key.Role} is below the required {least}.");
    }

    private CallAuthentication Limit(Principal principal, string? clientAddress, CallAuthentication allowed)
    {
        var settings = limits.CurrentValue;
        var (key, bucket) = principal.Kind switch
        {
            PrincipalKind.User => ("user:" + principal.UserId, settings.Public),
            PrincipalKind.ApiKey => ("key:" + principal.ApiKeyName, settings.Internal),
            _ => ("anonymous:" + (clientAddress ?? "unknown"), settings.Anonymous),
        };
        return limiter.TryAcquire(key, bucket.PerSecond, bucket.Burst) is { } retryAfter
            ? CallAuthentication.ResourceExhausted("Too many requests; retry later.", retryAfter)
            : allowed;
    }

    private static string? Bearer(string? authorization) =>
        authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
}
