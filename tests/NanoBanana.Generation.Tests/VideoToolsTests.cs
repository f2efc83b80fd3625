using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.VideoTools;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class VideoToolsFixture : IAsyncLifetime
{
    public GenerationHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("vt"), VideoToolsTests.Settings());

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>
/// Video tools end to end on the real Host with the Sandbox speech adapter and real ffmpeg: inputs are
/// made by ffmpeg and espeak-ng, outputs checked with ffprobe, frames and the .srt text.
/// </summary>
public sealed class VideoToolsTests(VideoToolsFixture fixture) : IClassFixture<VideoToolsFixture>
{
    private GenerationHarness H => fixture.Harness;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Generation:VideoTools:X264Preset"] = "ultrafast",
        ["Generation:VideoTools:MaxInputBytes"] = "3000000",
        ["Generation:MaxActiveJobsPerUser"] = "4",
    };

    [Fact]
    public async Task Subtitles_only_deliver_an_srt_timed_to_the_speech_and_are_charged_once_per_started_minute()
    {
        var user = await H.FundedUserAsync(1000);
        var (video, speechEnd) = await TestVideos.WithSpeechAsync("Hello there. This is a short test of the subtitles.", speechAt: 1.5, seconds: 6);
        var upload = await H.UploadVideoAsync(user, video);
        Assert.Equal(1, upload.BilledMinutes);
        Assert.InRange(upload.DurationSeconds, 5.5, 6.5);

        var quote = (await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice() })).Value;
        Assert.Equal(5, quote.PriceCredits);
        var job = await H.VideoToolsJobAsync(user, upload, new VideoToolsChoice());

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(GenerationKind.VideoTools, job.Kind);
        Assert.Equal(5, job.PriceCredits);
        var srt = Assert.Single(job.Media);
        Assert.Equal("application/x-subrip", srt.MimeType);
        var cues = TestVideos.ParseSrt(await TextAsync(srt));
        Assert.InRange(cues[0].Start, 1.0, 2.0);
        Assert.InRange(cues[^1].End, speechEnd - 0.5, speechEnd + 0.5);
        Assert.All(cues, c => Assert.False(string.IsNullOrWhiteSpace(c.Text)));
        var balance = await H.BalanceAsync(user);
        Assert.Equal(995, balance.Available);
        Assert.Equal(0, balance.Reserved);
        // The Mini App's history lists the user's jobs from ListMyGenerations (public, as the user).
        var listed = Assert.Single((await H.SendAsync(new ListMyGenerationsRequest(), Principal.ForUser(user))).Value.Jobs);
        Assert.Equal((job.Id, GenerationKind.VideoTools, "Subtitles"), (listed.Id, listed.Kind, listed.Prompt));
        Assert.Equal(new VideoToolsChoice(), listed.VideoTools);
        Assert.Equal(srt.Id, Assert.Single(listed.Media).Id);
    }

    [Fact]
    public async Task The_full_pipeline_renders_a_vertical_video_with_voice_over_and_both_subtitle_files()
    {
        var user = await H.FundedUserAsync(1000);
        var (video, _) = await TestVideos.WithSpeechAsync("Good morning. We test the whole pipeline today.", speechAt: 0.5, seconds: 4);
        var upload = await H.UploadVideoAsync(user, video);
        var choice = new VideoToolsChoice { TranslateTo = "de", VoiceOver = true, Captions = CaptionStyle.Bold, Reframe = Reframe.BlurredBackground };

        var job = await H.VideoToolsJobAsync(user, upload, choice);

        Assert.True(job.Status == JobStatus.Succeeded, job.FailureReason?.En);
        Assert.Equal(24, job.PriceCredits); // 5 + 3 + 10 + 3 + 3 per started minute.
        Assert.Equal(["video/mp4", "application/x-subrip", "application/x-subrip"], job.Media.Select(m => m.MimeType));
        Assert.Equal((720, 1280), (job.Media[0].Width, job.Media[0].Height)); // The FREE plan renders at 720p (ADR 0142).
        var probe = await TestVideos.ProbeAsync(await ContentAsync(job.Media[0]));
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        var picture = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal(720, picture.GetProperty("width").GetInt32());
        Assert.Equal(1280, picture.GetProperty("height").GetInt32());
        Assert.Equal("h264", picture.GetProperty("codec_name").GetString());
        var sound = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.InRange(Seconds(sound), Seconds(picture) - 1, Seconds(picture) + 1);
        Assert.InRange(Seconds(picture), 3.5, 4.5);
        Assert.DoesNotContain("[de]", await TextAsync(job.Media[1]), StringComparison.Ordinal);
        Assert.All(TestVideos.ParseSrt(await TextAsync(job.Media[2])), cue => Assert.StartsWith("[de] ", cue.Text, StringComparison.Ordinal));
        var steps = (await H.EventsAsync<GenerationStatusChanged>(job.Id)).Select(e => e.Step).Where(s => s != VideoToolsStep.Unspecified).ToList();
        Assert.Equal(
            [VideoToolsStep.ExtractingAudio, VideoToolsStep.Transcribing, VideoToolsStep.Translating, VideoToolsStep.Voicing, VideoToolsStep.Rendering, VideoToolsStep.Delivering],
            steps);
        Assert.Equal(976, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Burned_captions_and_the_watermark_are_visible_in_the_frame_and_absent_without_them()
    {
        var renderer = H.Host.Services.GetRequiredService<VideoRenderer>();
        var work = Directory.CreateTempSubdirectory("nb-render-test-").FullName;
        try
        {
            // A black source: anything bright in the output was drawn by the renderer.
            var source = Path.Combine(work, "black.mp4");
            await File.WriteAllBytesAsync(source, await TestVideos.PatternAsync(2, "silence", size: "640x360", picture: "color=c=black"));
            var probe = new MediaProbe(2, 640, 360, HasVideo: true, HasAudio: true);
            var captions = Path.Combine(work, "captions.ass");
            await File.WriteAllTextAsync(captions, Subtitles.ToAss([new Segment(0, 2, "Hello world")], CaptionStyle.Classic, 640, 360));

            var marked = Path.Combine(work, "marked.mp4");
            await renderer.RenderAsync(source, probe, new RenderPlan(Reframe.Unspecified, captions, null, "NanoBanana"), marked, CancellationToken.None);
            var plain = Path.Combine(work, "plain.mp4");
            await renderer.RenderAsync(source, probe, new RenderPlan(Reframe.Unspecified, null, null, null), plain, CancellationToken.None);

            var withBoth = await TestVideos.GreyFrameAsync(marked, 1.0, 640, 360);
            var without = await TestVideos.GreyFrameAsync(plain, 1.0, 640, 360);
            Assert.True(TestVideos.BrightPixels(withBoth, 640, 0, 240, 640, 360) > 100, "captions in the lower third");
            Assert.True(TestVideos.BrightPixels(withBoth, 640, 420, 0, 640, 40, threshold: 120) > 20, "watermark top right");
            Assert.Equal(0, TestVideos.BrightPixels(without, 640, 0, 240, 640, 360));
            Assert.Equal(0, TestVideos.BrightPixels(without, 640, 420, 0, 640, 40, threshold: 120));

            var cropped = Path.Combine(work, "cropped.mp4");
            await renderer.RenderAsync(source, probe, new RenderPlan(Reframe.CentreCrop, null, null, null), cropped, CancellationToken.None);
            var picture = (await TestVideos.ProbeAsync(cropped)).GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == "video");
            Assert.Equal((1080, 1920), (picture.GetProperty("width").GetInt32(), picture.GetProperty("height").GetInt32()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_voice_over_mixes_over_the_original_sound_or_replaces_it_as_chosen(bool replace)
    {
        var user = await H.FundedUserAsync(1000);
        // The original sound carries a 12 kHz tone besides the speech: espeak-ng's voice (22 kHz sampling) has nothing there.
        var (video, _) = await TestVideos.WithSpeechAsync("This is the original speech.", speechAt: 0.3, seconds: 3, toneHz: 12000);
        var upload = await H.UploadVideoAsync(user, video);

        var job = await H.VideoToolsJobAsync(user, upload, new VideoToolsChoice { TranslateTo = "de", VoiceOver = true, ReplaceAudio = replace });

        Assert.True(job.Status == JobStatus.Succeeded, job.FailureReason?.En);
        Assert.Equal(18, job.PriceCredits); // 5 + 3 + 10: replacing costs what mixing does.
        Assert.Equal(replace, job.VideoTools.ReplaceAudio);
        var rendered = Path.Combine(Path.GetTempPath(), $"nb-voice-{Guid.NewGuid():N}.mp4");
        try
        {
            await File.WriteAllBytesAsync(rendered, await ContentAsync(job.Media[0]));
            var original = await TestVideos.ToneLevelAsync(rendered, 12000);
            var voice = await TestVideos.ToneLevelAsync(rendered, 500);
            Assert.True(replace ? original < -55 : original > -40, $"the original's tone at {original} dB");
            Assert.True(voice > -30, $"the voice at {voice} dB");
        }
        finally
        {
            File.Delete(rendered);
        }
    }

    [Fact]
    public async Task Replacing_the_sound_without_a_voice_over_is_refused_with_a_reason()
    {
        var user = await H.FundedUserAsync(1000);
        var upload = await H.UploadVideoAsync(user, (await TestVideos.WithSpeechAsync("No voice here.", 0.3, 2)).Video);

        var quoted = await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice { ReplaceAudio = true } });

        Assert.False(quoted.IsSuccess);
        Assert.Contains(quoted.ValidationErrors, e => e.ErrorMessage.Contains("voice-over", StringComparison.Ordinal));
    }

    public static TheoryData<string, VideoRefusal> Refusals => new()
    {
        { "broken", VideoRefusal.Broken },
        { "no-audio", VideoRefusal.NoAudio },
        { "too-large", VideoRefusal.TooLarge },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_video_the_tools_cannot_take_is_refused_with_its_reason_and_nothing_is_kept(string kind, VideoRefusal refusal)
    {
        var user = GenerationHarness.NewUserId();
        var content = kind switch
        {
            "broken" => Encoding.ASCII.GetBytes("this is not a video at all, just text pretending"),
            "no-audio" => await TestVideos.PatternAsync(2, audio: null),
            _ => new byte[3_000_001],
        };

        var inspected = await H.SendAsync(new InspectVideoForToolsRequest { UserId = user, Content = ByteString.CopyFrom(content), FileName = "clip.mp4" });

        Assert.True(inspected.IsSuccess, inspected.ToString());
        Assert.Equal(refusal, inspected.Value.Refusal);
        Assert.Null(inspected.Value.Upload);
        Assert.Equal(0L, await H.ScalarAsync<long>("SELECT count(*) FROM generation.video_uploads WHERE user_id = @user", ("user", user)));
    }

    [Fact]
    public async Task A_video_without_speech_fails_at_transcribing_names_the_step_and_charges_nothing()
    {
        var user = await H.FundedUserAsync(1000);
        var upload = await H.UploadVideoAsync(user, await TestVideos.PatternAsync(3, "silence"));

        var job = await H.VideoToolsJobAsync(user, upload, new VideoToolsChoice { Captions = CaptionStyle.Classic });

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("transcribing", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains("no speech", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains("Nothing was charged", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains("распознавание речи", job.FailureReason.Ru, StringComparison.Ordinal);
        Assert.Empty(job.Media);
        var balance = await H.BalanceAsync(user);
        Assert.Equal(1000, balance.Available);
        Assert.Equal(0, balance.Reserved);
    }

    [Fact]
    public async Task The_same_request_id_is_one_job_and_one_charge()
    {
        var user = await H.FundedUserAsync(1000);
        var upload = await H.UploadVideoAsync(user, (await TestVideos.WithSpeechAsync("One charge only.", 0.3, 2)).Video);
        var request = new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice(), ClientRequestId = "draft-1" };

        var first = (await H.SendAsync(request)).Value.Outcome;
        var second = (await H.SendAsync(request)).Value.Outcome;
        await H.WaitSettledAsync(first.Job.Id);

        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.True(second.Duplicate);
        Assert.Equal(995, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_voice_over_needs_a_target_language_and_an_unknown_upload_is_refused()
    {
        var user = await H.FundedUserAsync(100);
        var voiceOnly = await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = Guid.NewGuid().ToString(), Choice = new VideoToolsChoice { VoiceOver = true } });
        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, voiceOnly.Status);
        Assert.Contains(voiceOnly.ValidationErrors, e => e.ErrorMessage.Contains("target language", StringComparison.Ordinal));

        var unknown = await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = Guid.NewGuid().ToString(), Choice = new VideoToolsChoice() });
        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, unknown.Status);
        Assert.Contains(unknown.ValidationErrors, e => e.Identifier == "upload_id");
    }

    private async Task<byte[]> ContentAsync(MediaRef media) =>
        (await H.SendAsync(new GetMediaContentRequest { MediaId = media.Id })).Value.Content.ToByteArray();

    private async Task<string> TextAsync(MediaRef media) => Encoding.UTF8.GetString(await ContentAsync(media));

    private static double Seconds(System.Text.Json.JsonElement stream) =>
        double.Parse(stream.GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Retention of the video tools: uploads and step artifacts go after 24 h, results stay.</summary>
public sealed class VideoToolsRetentionTests(VideoToolsFixture fixture) : IClassFixture<VideoToolsFixture>
{
    private GenerationHarness H => fixture.Harness;

    [Fact]
    public async Task Uploads_and_step_artifacts_are_deleted_after_a_day_and_results_stay()
    {
        var user = await H.FundedUserAsync(100);
        var inspected = await H.SendAsync(new InspectVideoForToolsRequest
        {
            UserId = user,
            Content = ByteString.CopyFrom((await TestVideos.WithSpeechAsync("Kept for a day.", 0.3, 2)).Video),
            FileName = "clip.mp4",
        });
        var started = await H.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = inspected.Value.Upload.UploadId, Choice = new VideoToolsChoice(), ClientRequestId = "retention" });
        var job = await H.WaitSettledAsync(started.Value.Outcome.Job.Id, seconds: 120);
        var work = Path.Combine(H.MediaRoot, "work", Guid.Parse(job.Id).ToString("N"));
        var source = Path.Combine(H.MediaRoot, "uploads", Guid.Parse(inspected.Value.Upload.UploadId).ToString("N"), "source");
        Assert.True(Directory.EnumerateFiles(work).Any());
        Assert.True(File.Exists(source));

        await H.ScalarAsync<int>("UPDATE generation.video_tool_jobs SET created_at = created_at - interval '25 hours' WHERE job_id = @id; SELECT 1", ("id", Guid.Parse(job.Id)));
        await H.ScalarAsync<int>("UPDATE generation.video_uploads SET created_at = created_at - interval '25 hours' WHERE user_id = @user; SELECT 1", ("user", user));
        var sweeper = H.Host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Background.RetentionSweeper>().Single();
        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Empty(Directory.EnumerateFiles(work));
        Assert.False(File.Exists(source));
        var srt = (await H.SendAsync(new GetMediaContentRequest { MediaId = Assert.Single(job.Media).Id })).Value.Content;
        Assert.Contains(" --> ", srt.ToStringUtf8(), StringComparison.Ordinal);
    }
}
