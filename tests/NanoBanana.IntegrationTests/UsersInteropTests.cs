using NanoBanana.Testing;
using NanoBanana.Users;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// Users over the wire with real clients: a Mini App signs in with initData over gRPC-Web (node,
/// connect) and an internal tool searches and bans with API keys over native gRPC (python3-grpcio).
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class UsersInteropTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string BotToken = "7000000009:AAHinteropBotTokenForUsersSuite_0";
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(database.ConnectionString, settings: new Dictionary<string, string?> { ["Telegram:BotToken"] = BotToken });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Mini_app_signs_in_over_grpc_web_and_calls_its_public_methods()
    {
        await InteropTests.EnsureNodeModulesAsync();

        var (exitCode, output) = await InteropTests.RunAsync("node", ["--test", "node/users.test.mjs"], new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = BotToken,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internal_tool_searches_and_bans_over_native_grpc_with_api_keys()
    {
        var admin = await CreateKeyAsync("interop-admin", "admin");
        var readOnly = await CreateKeyAsync("interop-readonly", "readonly");

        var (exitCode, output) = await InteropTests.RunAsync("/usr/bin/python3", ["python/test_users_interop.py", _host.GrpcAddress.Authority], new Dictionary<string, string>
        {
            ["ADMIN_KEY"] = admin,
            ["READONLY_KEY"] = readOnly,
            ["BOT_TOKEN"] = BotToken,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }

    private async Task<string> CreateKeyAsync(string name, string role)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsersModule.RunAdminCommandAsync(_host.Services, ["create-api-key", "--name", name, "--role", role], output, error, CancellationToken.None);
        Assert.True(exit == 0, error.ToString());
        return output.ToString().Trim();
    }
}

/// <summary>The interop suites share node_modules and generated stubs, so they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class InteropCollection
{
    public const string Name = "interop suites";
}
