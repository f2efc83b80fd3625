using System.Diagnostics;
using NanoBanana.Billing.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class CrashTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private const int Steps = 60;

    [Fact]
    public async Task A_host_killed_mid_stream_leaves_no_partial_mutation_and_retried_keys_converge()
    {
        var user = billing.NewUser();

        var firstRun = await RunWorkerAsync(user, killAfterStep: 20);
        Assert.Equal(21, firstRun); // killed right after step 20, somewhere inside step 21
        Assert.Empty((await billing.AsAdmin(new CheckLedgerRequest())).Value.Drifts);
        await billing.AssertInvariantsAsync();

        var secondRun = await RunWorkerAsync(user, killAfterStep: null);
        Assert.Equal(Steps, secondRun);

        var expected = Enumerable.Range(0, Steps).Sum(step => (step % 7) + 2) - Steps;
        var balance = await billing.BalanceAsync(user);
        Assert.Equal(((long)expected, 0L), (balance.Available, balance.Reserved));
        var ledger = (await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, PageSize = 100 })).Value;
        var all = new List<LedgerEntry>(ledger.Entries);
        var token = ledger.NextPageToken;
        while (token.Length > 0)
        {
            var page = (await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, PageSize = 100, PageToken = token })).Value;
            all.AddRange(page.Entries);
            token = page.NextPageToken;
        }

        Assert.Equal(Steps, all.Count(e => e.Kind == EntryKind.TopUp));
        Assert.Equal(Steps, all.Count(e => e.Kind == EntryKind.Hold));
        Assert.Equal(Steps, all.Count(e => e.Kind == EntryKind.Capture));
    }

    /// <summary>Runs the worker; SIGKILLs it once it reports <paramref name="killAfterStep"/>. Returns the steps it reported.</summary>
    private async Task<int> RunWorkerAsync(long user, int? killAfterStep)
    {
        // This assembly runs from tests/NanoBanana.Billing.Tests/bin/<configuration>/net10.0; the worker builds next door.
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var worker = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "NanoBanana.Billing.CrashWorker", "bin", output.Parent.Name, output.Name, "NanoBanana.Billing.CrashWorker.dll");
        Assert.True(File.Exists(worker), $"{worker} is missing");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [worker, billing.ConnectionString, user.ToString(System.Globalization.CultureInfo.InvariantCulture), Steps.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        var reported = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("done ", StringComparison.Ordinal))
            {
                reported++;
            }

            if (reported - 1 == killAfterStep)
            {
                process.Kill(); // SIGKILL: no shutdown hooks, in-flight transactions simply vanish.
                break;
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        Assert.True(killAfterStep is not null || process.ExitCode == 0, $"worker failed: {await errors}");
        return reported;
    }
}
