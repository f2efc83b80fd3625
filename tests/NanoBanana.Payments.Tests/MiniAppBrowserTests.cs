using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// The built Mini App (the Host's build builds Host/MiniApp into its output's wwwroot/app, copied here with the
/// Host) in real Chromium against the real Host, which finds it in its content root as in production: the
/// node:test suite in tests/interop/browser signs initData with this bot token.
/// </summary>
public sealed class MiniAppBrowserTests : IAsyncLifetime
{
    private const string BotToken = "424242:BROWSER-test-token";
    private static readonly string Root = ExternalProcess.RepositoryRoot;
    private static readonly string Suite = Path.Combine(Root, "tests", "interop", "browser");
    private static readonly string MiniApp = Path.Combine(AppContext.BaseDirectory, "wwwroot", "app");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        await TestPostgres.CreateDatabaseAsync(),
        settings: new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = BotToken,
            // Stars would call the real Bot API with this fake token; the browser pays through the sandbox.
            ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Payments:SandboxEnabled"] = "true",
            ["Outbox:PollInterval"] = "00:00:00.100",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sign_in_buy_through_the_sandbox_and_see_the_balance_change_and_a_forged_initData_sees_an_error()
    {
        Assert.True(File.Exists(Path.Combine(MiniApp, "index.html")), "The Mini App is not built: the Host's build needs Node 20 and npm (./nb test installs them).");
        await ExternalProcess.EnsureNpmPackagesAsync(Suite);

        var (exitCode, output) = await ExternalProcess.RunAsync("node", ["--test", "miniapp.test.mjs"], Suite, new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = BotToken,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# pass 2", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }
}
