using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// The Mini App's try-on screen (GetTryOnOffer, StartGeneration, WatchJob over gRPC-Web) in real Chromium against
/// the real Host on the offline Sandbox, in English and in Russian, run by tests/interop/browser/tryon.test.mjs.
/// </summary>
public sealed class MiniAppTryOnBrowserTests : IAsyncLifetime
{
    private const string BotToken = "565656:TRYON-browser-token";
    private static readonly string Suite = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "interop", "browser");
    private static readonly string MiniApp = Path.Combine(AppContext.BaseDirectory, "wwwroot", "app");
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("tryon_miniapp"), new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = BotToken,
            // Nothing here may reach the real Bot API with this fake token.
            ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
        });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_try_on_runs_from_the_mini_app_with_photos_downscaled_in_the_browser()
    {
        Assert.True(File.Exists(Path.Combine(MiniApp, "index.html")), "The Mini App is not built: the Host's build needs Node 20 and npm (./nb test installs them).");
        var user = await _harness.FundedUserAsync(100);
        await ExternalProcess.EnsureNpmPackagesAsync(Suite);

        var (exitCode, output) = await ExternalProcess.RunAsync("node", ["--test", "tryon.test.mjs"], Suite, new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _harness.Host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = BotToken,
            ["USER_ID"] = user.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# pass 2", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
        // Two try-ons (one per language), each delivered and captured at the offer's price; nothing left held.
        Assert.Equal(2L, await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE user_id = @u AND kind = 7 AND status = 3 AND settled AND price_credits = 2", ("u", user)));
        Assert.Equal(0, (await _harness.BalanceAsync(user)).Reserved);
    }
}
