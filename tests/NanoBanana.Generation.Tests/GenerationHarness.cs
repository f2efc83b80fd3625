using Ardalis.Result;
using Google.Protobuf;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>The real Host (Catalog + Billing + Generation) on a test database, with helpers to fund users and wait for jobs.</summary>
public sealed class GenerationHarness : IAsyncDisposable
{
    private static long _nextUser = 7_000_000;

    private GenerationHarness(TestHost host, string connectionString, string mediaRoot)
    {
        Host = host;
        ConnectionString = connectionString;
        MediaRoot = mediaRoot;
    }

    public TestHost Host { get; }

    public string ConnectionString { get; }

    public string MediaRoot { get; }

    public static async Task<GenerationHarness> StartAsync(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var mediaRoot = Path.Combine(Path.GetTempPath(), $"nb-media-{Guid.NewGuid():N}");
        var all = new Dictionary<string, string?>
        {
            ["Generation:MediaRoot"] = mediaRoot,
            ["Generation:Sandbox:Latency"] = "00:00:00",
            ["Generation:IdlePollInterval"] = "00:00:00.050",
            ["Generation:RetryDelay"] = "00:00:00.050",
            ["Generation:OperationPollInterval"] = "00:00:00.100",
            ["Outbox:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GenerationHarness(await TestHost.StartAsync(connectionString, settings: all), connectionString, mediaRoot);
    }

    public static long NewUserId() => Interlocked.Increment(ref _nextUser);

    public Task<Result<T>> SendAsync<T>(IUseCase<T> request, Principal? principal = null) => Host.SendAsync(principal ?? Principal.Module, request);

    /// <summary>A job as its owner sees it (GetGeneration as the user the job belongs to).</summary>
    public async Task<Job> JobAsync(string jobId)
    {
        var owner = await ScalarAsync<long>("SELECT user_id FROM generation.jobs WHERE id = @id", ("id", Guid.Parse(jobId)));
        var found = await SendAsync(new GetGenerationRequest { JobId = jobId }, Principal.ForUser(owner));
        Assert.True(found.IsSuccess, found.Describe());
        return found.Value.Job;
    }

    public async Task<long> FundedUserAsync(long credits = 1000)
    {
        var user = NewUserId();
        var credited = await SendAsync(new CreditRequest { UserId = user, Amount = credits, Kind = EntryKind.AdminGrant, IdempotencyKey = $"test-fund-{user}", Reference = "test" });
        Assert.True(credited.IsSuccess, credited.Describe());
        return user;
    }

    public async Task<Balance> BalanceAsync(long user)
    {
        var balance = await SendAsync(new GetBalanceRequest(), Principal.ForUser(user));
        Assert.True(balance.IsSuccess, balance.ToString());
        return balance.Value.Balance;
    }

    public async Task<StartOutcome> StartAsync(long user, GenerationSpec spec, string? requestId = null)
    {
        var started = await SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = requestId ?? Guid.NewGuid().ToString("N") }, Principal.ForUser(user));
        Assert.True(started.IsSuccess, started.ToString());
        return started.Value.Outcome;
    }

    /// <summary>Hands a video to the video tools as the bot does; asserts it was accepted.</summary>
    public async Task<VideoUpload> UploadVideoAsync(long user, byte[] video)
    {
        var inspected = await SendAsync(new InspectVideoForToolsRequest { UserId = user, Content = ByteString.CopyFrom(video), FileName = "clip.mp4" });
        Assert.True(inspected.IsSuccess, inspected.ToString());
        Assert.Equal(VideoRefusal.Unspecified, inspected.Value.Refusal);
        return inspected.Value.Upload;
    }

    /// <summary>Starts a video-tools job on an upload and waits until it has settled.</summary>
    public async Task<Job> VideoToolsJobAsync(long user, VideoUpload upload, VideoToolsChoice choice)
    {
        var started = await SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = choice, ClientRequestId = Guid.NewGuid().ToString("N") });
        Assert.True(started.IsSuccess, started.ToString());
        Assert.NotNull(started.Value.Outcome.Job);
        return await WaitSettledAsync(started.Value.Outcome.Job.Id, seconds: 240);
    }

    /// <summary>Waits until the job has finished and its hold is settled with Billing.</summary>
    public async Task<Job> WaitSettledAsync(string jobId, int seconds = 60)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            if (await IsSettledAsync(jobId))
            {
                return await JobAsync(jobId);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {jobId} did not finish within {seconds} s.");
    }

    public async Task<Job> WaitStatusAsync(string jobId, JobStatus status, int seconds = 30)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            var job = await JobAsync(jobId);
            if (job.Status == status)
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {jobId} did not reach {status} within {seconds} s.");
    }

    public async Task<bool> IsSettledAsync(string jobId) =>
        await ScalarAsync<bool>("SELECT settled FROM generation.jobs WHERE id = @id", ("id", Guid.Parse(jobId)));

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Integration events of a type the Generation outbox holds for a job.</summary>
    public async Task<List<T>> EventsAsync<T>(string jobId)
        where T : IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        var type = new T().Descriptor.FullName;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payload FROM generation.outbox WHERE type = @type ORDER BY occurred_at", connection);
        command.Parameters.AddWithValue("type", type);
        var events = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var message = parser.ParseFrom((byte[])reader[0]);
            if (message.Descriptor.FindFieldByName("job_id").Accessor.GetValue(message) as string == jobId)
            {
                events.Add(message);
            }
        }

        return events;
    }

    public static GenerationSpec Spec(string model, GenerationKind kind, string prompt, params byte[][] references)
    {
        var spec = new GenerationSpec { ModelSlug = model, Kind = kind, Prompt = prompt };
        spec.ReferenceImages.AddRange(references.Select(r => new ReferenceImage { Data = ByteString.CopyFrom(r) }));
        return spec;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Directory.Exists(MediaRoot))
        {
            Directory.Delete(MediaRoot, recursive: true);
        }
    }
}
