using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;
using NanoBanana.Users.Access;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Admin;

/// <summary>
/// <c>admin create-api-key --name X --role admin|support|readonly</c> and <c>admin revoke-api-key --name X</c>.
/// Creation is CLI-only on purpose: the secret is printed once to whoever has shell access and is
/// never returned by an RPC.
/// </summary>
internal static partial class ApiKeyCommands
{
    public const string Usage = """
        usage: admin create-api-key --name <name> --role admin|support|readonly
               admin revoke-api-key --name <name>
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || !TryReadOptions(args.Skip(1).ToList(), out var options))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var name = options.GetValueOrDefault("name") ?? "";
        if (!NamePattern().IsMatch(name))
        {
            await error.WriteLineAsync("--name must be 1-64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.");
            return 2;
        }

        switch (args[0])
        {
            case "create-api-key":
                if (!TryParseRole(options.GetValueOrDefault("role"), out var role))
                {
                    await error.WriteLineAsync("--role must be admin, support or readonly.");
                    return 2;
                }

                var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
                if (await db.ApiKeys.AnyAsync(k => k.Name == name, cancellationToken))
                {
                    await error.WriteLineAsync($"An API key named '{name}' already exists.");
                    return 1;
                }

                var secret = ApiKeySecrets.New();
                db.ApiKeys.Add(new Domain.ApiKey
                {
                    Id = Guid.CreateVersion7(),
                    Name = name,
                    Role = role,
                    KeyHash = ApiKeySecrets.Hash(secret),
                    CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
                });
                await db.SaveChangesAsync(cancellationToken);
                await output.WriteLineAsync(secret);
                await error.WriteLineAsync($"API key '{name}' ({role.ToString().ToLowerInvariant()}) created. It is shown only once; send it as 'authorization: Bearer <key>'.");
                return 0;

            case "revoke-api-key":
                var revoked = await scope.ServiceProvider.GetRequiredService<UseCaseSender>().SendAsync(Principal.Module, new RevokeApiKeyRequest { Name = name }, cancellationToken);
                if (!revoked.IsSuccess)
                {
                    await error.WriteLineAsync(string.Join("; ", revoked.Errors));
                    return 1;
                }

                await output.WriteLineAsync($"API key '{name}' revoked.");
                return 0;

            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static bool TryReadOptions(List<string> args, out Dictionary<string, string> options)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count || !options.TryAdd(args[i][2..], args[i + 1]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseRole(string? text, out Role role)
    {
        role = text switch
        {
            "admin" => Role.Admin,
            "support" => Role.Support,
            "readonly" => Role.Readonly,
            _ => Role.Unspecified,
        };
        return role != Role.Unspecified;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
