using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Payments.Tests;

/// <summary>
/// The Mini App's ⭐ Plans screen (ADR 0150, 0152) in real Chromium against the real Host with the fake Bot API and
/// the fake YooKassa: tests/interop/browser/plans.test.mjs drives the screen in both languages while this test plays
/// the payer on YooKassa's page (marks each new card payment paid and sends its notification).
/// </summary>
public sealed class MiniAppPlansBrowserTests : IAsyncLifetime
{
    private static readonly string Suite = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "interop", "browser");
    private static readonly string MiniApp = Path.Combine(AppContext.BaseDirectory, "wwwroot", "app");
    private PaymentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PaymentsHarness.StartAsync(
        await TestPostgres.CreateDatabaseAsync(),
        extra: new Dictionary<string, string?> { ["Payments:YooKassa:Autopayments"] = "true", ["Payments:WatchPollInterval"] = "00:00:00.200" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Plans_are_compared_subscribed_by_Stars_link_and_by_card_cancelled_and_renewed_again_in_both_languages()
    {
        Assert.True(File.Exists(Path.Combine(MiniApp, "index.html")), "The Mini App is not built: the Host's build needs Node 20 and npm (./nb test installs them).");
        await ExternalProcess.EnsureNpmPackagesAsync(Suite);
        using var stop = new CancellationTokenSource();
        var payer = PayCardPaymentsAsync(stop.Token);

        var (exitCode, output) = await ExternalProcess.RunAsync("node", ["--test", "plans.test.mjs"], Suite, new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _harness.Host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = FakeTelegram.Token,
            ["USER_EN"] = "8101",
            ["USER_RU"] = "8102",
        });
        await stop.CancelAsync();
        var paid = await payer;

        Assert.True(exitCode == 0, output);
        Assert.Contains("# pass 2", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
        // One card period per language, each asked to save the card (the consent tick), each paid once.
        Assert.Equal(2, paid);
        Assert.Equal(2, _harness.Telegram.Calls.Count(c => c.Method == "createInvoiceLink" && c.Body["subscription_period"] is not null));
    }

    /// <summary>The payer: every card payment that appears is paid on "YooKassa's page" and notified, once.</summary>
    private async Task<int> PayCardPaymentsAsync(CancellationToken cancellationToken)
    {
        var paid = new HashSet<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var payment in _harness.YooKassa.Payments.Where(p => p["status"]!.GetValue<string>() == "pending"))
            {
                var id = payment["id"]!.GetValue<string>();
                if (payment["payment_method"] is null || !paid.Add(id))
                {
                    continue;
                }

                _harness.YooKassa.SetStatus(id, "succeeded");
                await YooKassaTests.NotifyAsync(_harness.Host, YooKassaTests.Notification(id));
            }

            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return paid.Count;
    }
}
