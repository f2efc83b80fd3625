using System.Diagnostics;
using System.Globalization;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Tests;
using NanoBanana.Testing;

// Image jobs through the Sandbox (zero latency) on two Host replicas sharing one database: this process runs the
// real Host in-process (it enqueues and works), a second Host runs as its own process. Three phases (ADR 0215):
//   warm-up  jobs nobody counts: JIT, connection pools, caches;
//   burst    16 clients call StartGeneration as fast as they can while both replicas work the queue: enqueue_per_s
//            (the calls' rate), jobs_per_s (first call → last capture) and burst_start_* (a backlog's wait);
//   paced    jobs offered at a fixed rate both replicas sustain: start_* is enqueue → provider call start, the
//            queue's wake-up and claim, which means something only below saturation.
// CPU per job is split by process (this one, the second replica, PostgreSQL): every side shares the machine's cores.
const int WarmUpJobs = 200;
const int BurstJobs = 1000;
const int Clients = 16;
const int PacedJobs = 300;
const double OfferedPerSecond = 25;

var connection = await TestPostgres.CreateDatabaseAsync("bench");
var settings = new Dictionary<string, string?>
{
    ["Generation:Workers"] = "8",
    ["Generation:Sandbox:Latency"] = "00:00:00",
    // The deployments' idle waits, not the tests' short ones: a commit wakes the workers of every replica (ADR 0122)
    // and each module's outbox, polling is only their safety net, and 16 workers polling every 50 ms cost CPU.
    ["Generation:IdlePollInterval"] = "00:00:00.250",
    ["Outbox:PollInterval"] = "00:00:00.500",
    ["Logging:LogLevel:Default"] = "Error",
};
await using var harness = await GenerationHarness.StartAsync(connection, settings);
var second = new Dictionary<string, string>(settings.ToDictionary(p => p.Key, p => p.Value!))
{
    ["ConnectionStrings:Postgres"] = connection,
    ["Generation:MediaRoot"] = harness.MediaRoot,
};
using var replica = new HostProcess(second);
await replica.StartAsync();
var postmaster = await ProcessCpu.TestPostmasterAsync();

await BurstAsync("warm-up", WarmUpJobs);
var burst = await BurstAsync("burst", BurstJobs);
var burstStart = await StartLatencyAsync("burst");
var paced = await PacedAsync("paced", PacedJobs, OfferedPerSecond);
var pacedStart = await StartLatencyAsync("paced");

Console.WriteLine(Invariant($"burst: {BurstJobs} jobs from {Clients} clients, 2 replicas × 8 workers: enqueue {burst.EnqueueSeconds:F1} s = {BurstJobs / burst.EnqueueSeconds:F1} StartGeneration/s; all captured after {burst.TotalSeconds:F1} s = {BurstJobs / burst.TotalSeconds:F1} jobs/s; load {burst.Load}"));
Console.WriteLine(Invariant($"burst: enqueue → provider call start p50 {burstStart.P50:F1} ms, p99 {burstStart.P99:F1} ms (behind the backlog)"));
Console.WriteLine(Invariant($"burst CPU per job: {burst.Cpu}"));
Console.WriteLine(Invariant($"paced: {PacedJobs} jobs offered at {OfferedPerSecond} /s: enqueue → provider call start p50 {pacedStart.P50:F1} ms, p99 {pacedStart.P99:F1} ms; load {paced.Load}"));
Console.WriteLine(Invariant($"paced CPU per job: {paced.Cpu}"));
Console.WriteLine(Invariant(
    $"BENCH generation enqueue_per_s={BurstJobs / burst.EnqueueSeconds:F1} jobs_per_s={BurstJobs / burst.TotalSeconds:F1} burst_start_p50_ms={burstStart.P50:F1} burst_start_p99_ms={burstStart.P99:F1} offered_per_s={OfferedPerSecond} start_p50_ms={pacedStart.P50:F1} start_p99_ms={pacedStart.P99:F1} cpu_ms_per_job={burst.Cpu.Total:F1} load1={burst.Load}"));

// Jobs from 16 clients as fast as they go; returns when every job is settled.
async Task<Phase> BurstAsync(string name, int jobs)
{
    var users = await UsersAsync(jobs);
    Console.WriteLine($"{name}: {jobs} jobs");
    var cpu = CpuNow();
    var started = Stopwatch.StartNew();
    await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, _) => await StartAsync(users[i % users.Length], $"{name} picture {i}"));
    var enqueueSeconds = started.Elapsed.TotalSeconds;
    await SettledAsync();
    return new Phase(enqueueSeconds, started.Elapsed.TotalSeconds, CpuNow().Since(cpu, jobs), LoadAverage());
}

// Job i is started at i / rate seconds (up to 16 calls in flight); returns when every job is settled.
async Task<Phase> PacedAsync(string name, int jobs, double perSecond)
{
    var users = await UsersAsync(jobs);
    Console.WriteLine($"{name}: {jobs} jobs at {perSecond} /s");
    var cpu = CpuNow();
    var started = Stopwatch.StartNew();
    await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, cancellationToken) =>
    {
        var due = TimeSpan.FromSeconds(i / perSecond) - started.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, cancellationToken);
        }

        await StartAsync(users[i % users.Length], $"{name} picture {i}");
    });
    var enqueueSeconds = started.Elapsed.TotalSeconds;
    await SettledAsync();
    return new Phase(enqueueSeconds, started.Elapsed.TotalSeconds, CpuNow().Since(cpu, jobs), LoadAverage());
}

// Two active jobs per user is the default limit: a user for every two jobs.
async Task<long[]> UsersAsync(int jobs)
{
    var users = new long[(jobs + 1) / 2];
    for (var i = 0; i < users.Length; i++)
    {
        users[i] = await harness.FundedUserAsync(1000);
    }

    return users;
}

async Task StartAsync(long user, string prompt)
{
    var outcome = await harness.StartAsync(user, GenerationHarness.Spec("nano-banana", GenerationKind.TextToImage, prompt));
    _ = outcome.Job?.Id ?? throw new InvalidOperationException($"'{prompt}' was not created: {outcome}");
}

async Task SettledAsync()
{
    while (await harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE NOT settled") > 0)
    {
        await Task.Delay(100);
    }

    var failed = await harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE status <> 3");
    if (failed > 0)
    {
        throw new InvalidOperationException($"{failed} jobs did not succeed");
    }
}

// Enqueue (created_at: the hold exists, the insert begins) → provider call start (first_submit_at) of a phase's jobs.
async Task<(double P50, double P99)> StartLatencyAsync(string name)
{
    const string Latency = "EXTRACT(EPOCH FROM first_submit_at - created_at) * 1000";
    var where = $"FROM generation.jobs WHERE prompt LIKE '{name} picture %'";
    return (await harness.ScalarAsync<double>($"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY {Latency}) {where}"),
        await harness.ScalarAsync<double>($"SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY {Latency}) {where}"));
}

CpuSeconds CpuNow() => new(ProcessCpu.OfThisProcess(), ProcessCpu.OfProcess(replica.ProcessId), ProcessCpu.OfCluster(postmaster));

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record Phase(double EnqueueSeconds, double TotalSeconds, CpuPerJob Cpu, string Load);

internal sealed record CpuSeconds(double ThisHost, double Replica, double Postgres)
{
    public CpuPerJob Since(CpuSeconds before, int jobs) =>
        new((ThisHost - before.ThisHost) * 1000 / jobs, (Replica - before.Replica) * 1000 / jobs, (Postgres - before.Postgres) * 1000 / jobs);
}

internal sealed record CpuPerJob(double ThisHost, double Replica, double Postgres)
{
    public double Total => ThisHost + Replica + Postgres;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Total:F1} ms = host 1 (enqueues, works) {ThisHost:F1} + host 2 (works) {Replica:F1} + PostgreSQL {Postgres:F1}");
}
