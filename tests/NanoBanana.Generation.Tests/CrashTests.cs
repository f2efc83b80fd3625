using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;
using Xunit.Abstractions;
using static NanoBanana.Generation.Tests.GenerationHarness;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// Two Host processes share the database and run Veo jobs against the fake Vertex server while one
/// of them is SIGKILLed at random moments (≥ 20 times). Every job must end succeeded-and-captured or
/// failed-and-released, no operation may be submitted twice, and Billing's ledger must not drift.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int JobsPerKill = 2;
    private const int Kills = 20;
    private FakeProviderServer _fake = null!;
    private GenerationHarness _harness = null!;
    private string _serviceAccountFile = string.Empty;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviderServer.StartAsync();
        _fake.PollsUntilDone = 6;
        _serviceAccountFile = Path.Combine(Path.GetTempPath(), $"nb-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_serviceAccountFile, _fake.ServiceAccountJson);
        // The in-process Host only enqueues (no workers); the two Host processes do the work.
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("crash"), VertexSettings(workers: 0));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _fake.DisposeAsync();
        File.Delete(_serviceAccountFile);
    }

    private async Task<bool> WaitForRunningJobAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE status = 2") > 0)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private Dictionary<string, string?> VertexSettings(int workers) => new()
    {
        ["Generation:Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Generation:Lease"] = "00:00:02",
        ["Generation:OperationPollInterval"] = "00:00:00.200",
        ["Generation:Vertex:ServiceAccount"] = _serviceAccountFile,
        ["Generation:Vertex:Project"] = "test-project",
        ["Generation:Vertex:BaseUrl"] = _fake.BaseUrl,
        ["Generation:Vertex:TokenUrl"] = _fake.BaseUrl + "/token",
        ["Generation:Vertex:SubmitsPerMinute"] = "6000",
        ["Generation:Vertex:HttpRetryDelay"] = "00:00:00.020",
    };

    [Fact]
    public async Task Killing_hosts_mid_job_loses_nothing_and_never_submits_twice()
    {
        var settings = VertexSettings(workers: 4);
        settings["ConnectionStrings:Postgres"] = _harness.ConnectionString;
        settings["Generation:MediaRoot"] = _harness.MediaRoot;
        settings["Generation:IdlePollInterval"] = "00:00:00.100";
        var hosts = new[] { new HostProcess(settings!), new HostProcess(settings!) };
        try
        {
            foreach (var host in hosts)
            {
                host.Start();
            }

            var jobs = new List<(long User, string JobId, string Prompt)>();
            var random = new Random(20261121);
            var killsMidJob = 0;
            for (var kill = 0; kill < Kills; kill++)
            {
                for (var i = 0; i < JobsPerKill; i++)
                {
                    var user = await _harness.FundedUserAsync(1000);
                    var prompt = $"crash test clip {jobs.Count} {Guid.NewGuid():N}";
                    var outcome = await _harness.StartAsync(user, Spec("veo-3-1-fast", GenerationKind.TextToVideo, prompt));
                    jobs.Add((user, outcome.Job.Id, prompt));
                }

                // Kill while a job is in the hands of a worker or a provider operation (not during start-up).
                if (await WaitForRunningJobAsync())
                {
                    killsMidJob++;
                }

                await Task.Delay(random.Next(0, 400));
                var victim = hosts[random.Next(hosts.Length)];
                victim.Kill();
                victim.Start();
            }

            foreach (var (_, jobId, _) in jobs)
            {
                await _harness.WaitSettledAsync(jobId, seconds: 180);
            }

            foreach (var (user, jobId, prompt) in jobs)
            {
                var job = await _harness.JobAsync(jobId);
                var balance = await _harness.BalanceAsync(user);
                Assert.True(_fake.SubmissionsOf(prompt) <= 1, $"{prompt} was submitted {_fake.SubmissionsOf(prompt)} times");
                if (job.Status == JobStatus.Succeeded)
                {
                    Assert.Equal(1, _fake.SubmissionsOf(prompt));
                    Assert.Single(job.Media);
                    Assert.Single(await _harness.EventsAsync<GenerationSucceeded>(jobId));
                    Assert.Equal((920L, 0L), (balance.Available, balance.Reserved));
                }
                else
                {
                    // Only a kill between "send" and "store the operation id" may end a job: refunded, never resent.
                    Assert.Equal(JobStatus.Failed, job.Status);
                    Assert.Equal(FailureClass.Transient, job.FailureClass);
                    Assert.Single(await _harness.EventsAsync<GenerationFailed>(jobId));
                    Assert.Equal((1000L, 0L), (balance.Available, balance.Reserved));
                }
            }

            var succeeded = jobs.Count(j => _fake.SubmissionsOf(j.Prompt) == 1);
            output.WriteLine($"{Kills} kills ({killsMidJob} with a job running), {jobs.Count} jobs, {succeeded} submitted once, {jobs.Count - succeeded} never submitted");
            Assert.True(killsMidJob >= Kills / 2, $"only {killsMidJob} kills hit a running job");
            Assert.Contains(jobs, j => _fake.SubmissionsOf(j.Prompt) == 1);
            var ledger = await _harness.SendAsync(new CheckLedgerRequest());
            Assert.True(ledger.IsSuccess, ledger.ToString());
            Assert.Empty(ledger.Value.Drifts);
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }
}
