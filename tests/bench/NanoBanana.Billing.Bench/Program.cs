using System.Diagnostics;
using System.Globalization;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Testing;
using Npgsql;

// Reserve+capture pairs per second through the mediator (the in-process path Generation uses), 16
// clients on 16 accounts, then pgbench's TPC-B-like run on the same cluster for comparison.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var pgbenchSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
const int clients = 16;

var connectionString = await TestPostgres.CreateDatabaseAsync("billing_bench");
await using var host = await TestHost.StartAsync(connectionString, [new BillingModule()], new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" });

async Task<T> SendAsync<T>(NanoBanana.BuildingBlocks.Mediation.IUseCase<T> request)
{
    var result = await host.SendAsync(Principal.Module, request);
    return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Describe());
}

for (var client = 0; client < clients; client++)
{
    await SendAsync(new CreditRequest { UserId = client + 1, Amount = 1_000_000_000, Kind = EntryKind.AdminGrant, IdempotencyKey = $"bench-fund:{client}" });
}

// Both sides share the machine's cores, so the figure per pair that matters is CPU: this process's (the mediator,
// the handlers, Npgsql) and the cluster's (its backends), each per pair and per pgbench transaction.
var postmaster = await ProcessCpu.TestPostmasterAsync();
var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
var serverCpuBefore = ProcessCpu.OfCluster(postmaster);
var stop = Stopwatch.StartNew();
var latencies = new List<double>[clients];
var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
{
    var mine = latencies[client] = [];
    for (var i = 0; stop.Elapsed.TotalSeconds < seconds; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var hold = await SendAsync(new ReserveRequest { UserId = client + 1, Amount = 10, IdempotencyKey = $"bench:{client}:{i}", Purpose = "bench" });
        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await SendAsync(new CaptureRequest { HoldId = hold.HoldId });
    }
})).ToArray();
await Task.WhenAll(workers);
var elapsed = stop.Elapsed.TotalSeconds;
var clientCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientCpuBefore;
var serverCpu = ProcessCpu.OfCluster(postmaster) - serverCpuBefore;
var all = latencies.SelectMany(l => l).Order().ToArray();
var pairsPerSecond = all.Length / elapsed;
var p99 = all[(int)Math.Min(all.Length - 1, Math.Ceiling(all.Length * 0.99) - 1)];
// Zero drift: every account's balance equals its ledger sum, its open holds and its last entry's balance-after.
var check = await SendAsync(new CheckLedgerRequest());
var drift = check.Drifts.Count;
Console.WriteLine($"ledger check: {check.AccountsChecked} accounts, {drift} drifting");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"billing: {all.Length} reserve+capture pairs in {elapsed:F1} s with {clients} clients: {pairsPerSecond:F0} pairs/s; reserve p50 {all[all.Length / 2]:F2} ms, p99 {p99:F2} ms"));
var clientMsPerPair = clientCpu * 1000 / all.Length;
var serverMsPerPair = serverCpu * 1000 / all.Length;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"billing CPU per pair: {clientMsPerPair:F2} ms in this process, {serverMsPerPair:F2} ms in PostgreSQL"));

var builder = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("pgbench"));
string Pgbench(params string[] arguments)
{
    var info = new ProcessStartInfo("pgbench", ["-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, .. arguments, builder.Database!])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    using var process = Process.Start(info)!;
    var output = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"pgbench exited with {process.ExitCode}");
}

Pgbench("-i", "-q", "-s", "16");
serverCpuBefore = ProcessCpu.OfCluster(postmaster);
var report = Pgbench("-c", "16", "-j", "2", "-T", pgbenchSeconds.ToString(CultureInfo.InvariantCulture));
serverCpu = ProcessCpu.OfCluster(postmaster) - serverCpuBefore;
var tpsLine = report.Split('\n').First(l => l.StartsWith("tps", StringComparison.Ordinal));
var tps = double.Parse(tpsLine.Split('=')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
var transactions = long.Parse(report.Split('\n').First(l => l.StartsWith("number of transactions actually processed", StringComparison.Ordinal)).Split(':')[1].Trim().Split('/')[0], CultureInfo.InvariantCulture);
var serverMsPerTransaction = serverCpu * 1000 / transactions;
Console.WriteLine($"pgbench TPC-B-like -c 16 -j 2 -T {pgbenchSeconds}: {tpsLine.Trim()}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pgbench CPU per transaction: {serverMsPerTransaction:F2} ms in PostgreSQL"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"BENCH billing pairs_per_s={pairsPerSecond:F0} pgbench_tps={tps:F0} ratio={pairsPerSecond / tps:F2} reserve_p99_ms={p99:F2} reserve_per_s={pairsPerSecond:F0} p99_ms={p99:F2} drift={drift} client_cpu_ms_per_pair={clientMsPerPair:F2} server_cpu_ms_per_pair={serverMsPerPair:F2} server_cpu_ms_per_pgbench_tx={serverMsPerTransaction:F2}"));
