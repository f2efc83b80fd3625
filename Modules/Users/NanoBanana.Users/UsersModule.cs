using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Users.Access;
using NanoBanana.Users.Admin;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users;

/// <summary>The Users module: Telegram identities, settings, referrals, bans and roles; Mini App sign-in and API keys.</summary>
public sealed class UsersModule : IModule
{
    public string Name => UsersDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [UsersReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<UsersDbContext>(UsersDbContext.Schema);
        services.AddMediationFrom(typeof(UsersModule).Assembly);
        services.AddOutboxDispatcher(UsersDbContext.Schema);
        services.AddValidatedOptions<AuthOptions>("Auth");
        services.AddValidatedOptions<RateLimitOptions>("RateLimits");
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<TokenBucketLimiter>();
        // Registered before the gRPC layer's fallback, which then stands aside (it adds its own only when none exists).
        services.AddSingleton<ICallAuthenticator, UsersCallAuthenticator>();
    }

    /// <summary>
    /// Runs an <c>admin …</c> command of the Host CLI (API key creation and revocation) against a
    /// migrated database; returns the process exit code.
    /// </summary>
    public static Task<int> RunAdminCommandAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ApiKeyCommands.RunAsync(services, args, output, error, cancellationToken);
}
