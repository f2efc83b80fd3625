using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Security;

public enum PrincipalKind
{
    Anonymous,
    User,
    ApiKey,
    Module,
}

/// <summary>Who is calling a use case: a signed-in Telegram user, an internal tool's API key, or another module in-process.</summary>
public sealed record Principal(PrincipalKind Kind, long UserId = 0, string? ApiKeyName = null, Role Role = Role.Unspecified)
{
    public static Principal Anonymous { get; } = new(PrincipalKind.Anonymous);

    public static Principal Module { get; } = new(PrincipalKind.Module);

    public static Principal ForUser(long userId) => new(PrincipalKind.User, userId);

    public static Principal ForApiKey(string name, Role role) => new(PrincipalKind.ApiKey, ApiKeyName: name, Role: role);

    public bool IsUser => Kind == PrincipalKind.User;

    /// <summary>A short, loggable description of the actor for audit columns.</summary>
    public string Actor => Kind switch
    {
        PrincipalKind.User => $"user:{UserId}",
        PrincipalKind.ApiKey => $"key:{ApiKeyName}",
        PrincipalKind.Module => "module",
        _ => "anonymous",
    };
}

/// <summary>
/// The principal of the current call; scoped and set once per scope, by <see cref="Mediation.UseCaseSender"/> (an
/// in-process call, a scope of its own) or by the gRPC binder after it authenticated the request (ADR 0180). Nothing
/// else can set it, so a nested call never runs as whoever set it last.
/// </summary>
public sealed class CallContext
{
    private Principal? _principal;

    public Principal Principal => _principal ?? Principal.Anonymous;

    internal void Enter(Principal principal)
    {
        if (_principal is not null)
        {
            throw new InvalidOperationException($"This scope already runs as {_principal.Actor}; send the use case through UseCaseSender, which opens a scope per call.");
        }

        _principal = principal;
    }
}
