using System.Diagnostics;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// The built Mini App (./nb builds Host/MiniApp into the Host's wwwroot/app) in real Chromium against
/// the real Host: the node:test suite in tests/interop/browser signs initData with this bot token.
/// </summary>
public sealed class MiniAppBrowserTests : IAsyncLifetime
{
    private const string BotToken = "424242:BROWSER-test-token";
    private static readonly string Root = RepositoryRoot();
    private static readonly string Suite = Path.Combine(Root, "tests", "interop", "browser");
    private static readonly string MiniApp = Path.Combine(Root, "Host", "NanoBanana.Host", "wwwroot", "app");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        await TestPostgres.CreateDatabaseAsync(),
        settings: new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = BotToken,
            // Stars would call the real Bot API with this fake token; the browser pays through the sandbox.
            ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Payments:SandboxEnabled"] = "true",
            ["MiniApp:Root"] = MiniApp,
            ["Outbox:PollInterval"] = "00:00:00.100",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sign_in_buy_through_the_sandbox_and_see_the_balance_change_and_a_forged_initData_sees_an_error()
    {
        Assert.True(File.Exists(Path.Combine(MiniApp, "index.html")), "The Mini App is not built: run `npm ci && npm run build` in Host/MiniApp (./nb test does).");
        if (!File.Exists(Path.Combine(Suite, "node_modules", ".package-lock.json")))
        {
            var (installed, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], []);
            Assert.True(installed == 0, log);
        }

        var (exitCode, output) = await RunAsync("node", ["--test", "miniapp.test.mjs"], new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = BotToken,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# pass 2", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Suite, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, $"{program} {string.Join(' ', arguments)}\n{await stdout}\n{await stderr}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NanoBanana.sln not found above " + AppContext.BaseDirectory);
    }
}
