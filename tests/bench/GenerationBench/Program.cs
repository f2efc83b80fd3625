using System.Diagnostics;
using System.Globalization;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Tests;
using NanoBanana.Testing;

// 1 000 image jobs through the Sandbox (zero latency) on two Host replicas sharing one database:
// this process runs the real Host in-process (it enqueues and works), a second Host runs as its own process.
const int Jobs = 1000;
const int Users = Jobs / 2; // Two active jobs per user is the default limit.
var connection = await TestPostgres.CreateDatabaseAsync("bench");
var settings = new Dictionary<string, string?>
{
    ["Generation:Workers"] = "8",
    ["Generation:Sandbox:Latency"] = "00:00:00",
    ["Generation:IdlePollInterval"] = "00:00:00.050",
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

var users = new long[Users];
for (var i = 0; i < Users; i++)
{
    users[i] = await harness.FundedUserAsync(1000);
}

var started = Stopwatch.StartNew();
var ids = new string[Jobs];
await Parallel.ForAsync(0, Jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
{
    var outcome = await harness.StartAsync(users[i % Users], GenerationHarness.Spec("nano-banana", GenerationKind.TextToImage, $"benchmark picture {i}"));
    ids[i] = outcome.Job?.Id ?? throw new InvalidOperationException($"job {i} was not created: {outcome}");
});
var enqueueSeconds = started.Elapsed.TotalSeconds;
while (await harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE NOT settled") > 0)
{
    await Task.Delay(100);
}

var total = started.Elapsed.TotalSeconds;
var succeeded = await harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE status = 3");
var p50 = await harness.ScalarAsync<double>("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_submit_at - created_at) * 1000) FROM generation.jobs");
var p99 = await harness.ScalarAsync<double>("SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_submit_at - created_at) * 1000) FROM generation.jobs");
string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
Console.WriteLine($"jobs={Jobs} succeeded={succeeded} enqueue_s={F(enqueueSeconds)} total_s={F(total)} (enqueue → captured, 2 replicas × 8 workers)");
Console.WriteLine($"enqueue → provider call start: p50={F(p50)} ms p99={F(p99)} ms");
Console.WriteLine($"enqueue: {F(Jobs / enqueueSeconds)} jobs/s with 16 clients");
Console.WriteLine($"BENCH generation jobs_per_s={F(Jobs / total)} enqueue_per_s={F(Jobs / enqueueSeconds)} start_p50_ms={F(p50)} start_p99_ms={F(p99)}");
