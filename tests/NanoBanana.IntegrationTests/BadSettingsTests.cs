using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// A bad setting of any module stops the Host at start with one line that names it, no stack trace (README:
/// "a bad setting stops start-up with a message that names it"), whether the module reads its settings while it
/// registers (Generation) or through <c>IOptions</c> (the rest).
/// </summary>
public sealed class BadSettingsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("Billing:WelcomeBonus", "-5", "Billing:WelcomeBonus: The field WelcomeBonus must be between 0 and 100000.")]
    [InlineData("Billing:DailyRewardTimeZone", "Mars/Olympus", "Billing:DailyRewardTimeZone: is not a known time zone id")]
    [InlineData("Bot:ChatLease", "00:00:00", "Bot:ChatLease: The field ChatLease must be between 00:00:01 and 01:00:00.")]
    [InlineData("Generation:Workers", "-1", "Generation:Workers: The field Workers must be between 0 and 256.")]
    [InlineData("Generation:Vertex:MaxConcurrency", "0", "Generation:Vertex:MaxConcurrency: The field MaxConcurrency must be between 1 and 10000.")]
    [InlineData("Generation:VideoTools:X264Preset", "warp", "Generation:VideoTools:X264Preset: ")]
    [InlineData("Payments:Accounting:TaxPercent", "140", "Payments:Accounting:TaxPercent: The field TaxPercent must be between 0 and 100.")]
    [InlineData("Auth:SessionSigningKey", "c2hvcnQ=", "Auth:SessionSigningKey: must be base64 of at least 32 bytes")]
    [InlineData("RateLimits:Public:Burst", "0", "RateLimits:Public:Burst: The field Burst must be between 1 and 100000000.")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts: The field MaxAttempts must be between 1 and 1000.")]
    [InlineData("Catalog:CacheTtl", "02:00:00", "Catalog:CacheTtl: The field CacheTtl must be between 00:00:00 and 01:00:00.")]
    [InlineData("Billing:WelcomeBonus", "twenty", "Failed to convert configuration value")]
    public async Task The_Host_refuses_to_start_and_names_the_setting(string key, string value, string expected)
    {
        using var host = new HostProcess(new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            [key] = value,
        });

        host.Start();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 1, $"exit code {exitCode?.ToString() ?? "none (still running)"}. Output:\n{host.Output}");
        Assert.Contains("NanoBanana cannot start: ", host.Output, StringComparison.Ordinal);
        Assert.Contains(expected, host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);   // no stack trace
    }
}
