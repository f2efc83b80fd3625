using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Security;

/// <summary>
/// The foundation's authenticator (ADR 0012): INTERNAL methods need <c>authorization: Bearer
/// &lt;Grpc:InternalApiKey&gt;</c> (role admin); PUBLIC methods that need a user answer
/// UNAUTHENTICATED until the Users module brings sessions; anonymous PUBLIC methods run as
/// <see cref="Principal.Anonymous"/>.
/// </summary>
internal sealed class ApiKeyCallAuthenticator(IOptions<GrpcServerOptions> options) : ICallAuthenticator
{
    private const string BearerPrefix = "Bearer ";
    private readonly byte[]? _internalKeyHash = options.Value.InternalApiKey.Length > 0 ? Hash(options.Value.InternalApiKey) : null;

    public ValueTask<CallAuthentication> AuthenticateAsync(CallMetadata metadata, MethodAccess access, IServiceProvider callServices, CancellationToken cancellationToken) =>
        ValueTask.FromResult(access.Level switch
        {
            AccessLevel.Public when access.Anonymous => CallAuthentication.Success(Principal.Anonymous),
            AccessLevel.Public => CallAuthentication.Unauthenticated("This method needs a signed-in user."),
            AccessLevel.Internal => AuthenticateInternal(metadata.Get("authorization"), access.Role),
            _ => CallAuthentication.PermissionDenied("This method is not callable remotely."),
        });

    private CallAuthentication AuthenticateInternal(string? authorization, Role required)
    {
        if (_internalKeyHash is null || authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return CallAuthentication.Unauthenticated("An API key is required (authorization: Bearer <key>).");
        }

        // Hashing first makes the comparison constant-time regardless of the presented key's length.
        var presented = Hash(authorization[BearerPrefix.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, _internalKeyHash))
        {
            return CallAuthentication.Unauthenticated("The API key is not valid.");
        }

        const Role keyRole = Role.Admin;
        return keyRole >= required
            ? CallAuthentication.Success(Principal.ForApiKey("internal", keyRole))
            : CallAuthentication.PermissionDenied($"The API key lacks the {required} role.");
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
