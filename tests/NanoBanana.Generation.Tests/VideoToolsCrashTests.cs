using Google.Protobuf;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// A Host process is SIGKILLed while a video-tools job renders; a second one takes the job over after
/// the lease and resumes at the unfinished step: the earlier steps are not run again, one result, one charge.
/// </summary>
public sealed class VideoToolsCrashTests : IAsyncLifetime
{
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync() =>
        // The in-process Host only enqueues; the Host processes do the work.
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("vtcrash"), new Dictionary<string, string?> { ["Generation:Workers"] = "0" });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Killing_the_host_mid_render_resumes_at_the_render_with_one_result_and_one_charge()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = _harness.ConnectionString,
            ["Generation:MediaRoot"] = _harness.MediaRoot,
            // Long enough that a loaded machine's heartbeats keep it; the takeover waits for it to run out.
            ["Generation:Lease"] = "00:00:05",
            ["Generation:IdlePollInterval"] = "00:00:00.100",
            ["Generation:VideoTools:X264Preset"] = "ultrafast",
        };
        var user = await _harness.FundedUserAsync(1000);
        var (video, _) = await TestVideos.WithSpeechAsync("A long render is interrupted here.", 0.5, 20);
        var upload = (await _harness.SendAsync(new InspectVideoForToolsRequest { UserId = user, Content = ByteString.CopyFrom(video), FileName = "clip.mp4" })).Value.Upload;
        var choice = new VideoToolsChoice { TranslateTo = "de", VoiceOver = true, Captions = CaptionStyle.Bold, Reframe = Reframe.BlurredBackground };
        var started = await _harness.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = choice, ClientRequestId = "crash" });
        var jobId = started.Value.Outcome.Job.Id;

        using (var first = new HostProcess(settings))
        {
            first.Start();
            await WaitForStepAsync(jobId, VideoToolsStep.Rendering);
            first.Kill();
        }

        using var second = new HostProcess(settings);
        second.Start();
        var job = await _harness.WaitSettledAsync(jobId, seconds: 300);

        Assert.True(job.Status == JobStatus.Succeeded, job.FailureReason?.En);
        Assert.True(job.Attempts >= 2, $"{job.Attempts} attempt(s): the second Host never took the job over");
        Assert.Equal(["video/mp4", "application/x-subrip", "application/x-subrip"], job.Media.Select(m => m.MimeType));
        Assert.Single(await _harness.EventsAsync<GenerationSucceeded>(jobId));
        var steps = (await _harness.EventsAsync<GenerationStatusChanged>(jobId)).Select(e => e.Step).ToList();
        // Finished steps ran once; the render that was killed ran again (announced once more, unless the kill came just before its announcement).
        Assert.Equal(1, steps.Count(s => s == VideoToolsStep.ExtractingAudio));
        Assert.Equal(1, steps.Count(s => s == VideoToolsStep.Transcribing));
        Assert.Equal(1, steps.Count(s => s == VideoToolsStep.Voicing));
        Assert.InRange(steps.Count(s => s == VideoToolsStep.Rendering), 1, 2);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal((976L, 0L), (balance.Available, balance.Reserved));
        // The killed attempt's working folder (the user's video, its audio and render) went with the job's end.
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), $"nb-videotools-{Guid.Parse(jobId):N}-*"));
    }

    private async Task WaitForStepAsync(string jobId, VideoToolsStep step)
    {
        for (var i = 0; i < 6000; i++)
        {
            var next = await _harness.ScalarAsync<int>("SELECT next_step FROM generation.video_tool_jobs WHERE job_id = @id", ("id", Guid.Parse(jobId)));
            if (next == (int)step)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {jobId} never reached {step}.");
    }
}
