using Google.Protobuf;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class VideoToolsPlanFixture : IAsyncLifetime
{
    public static readonly Principal Admin = Principal.ForApiKey("video-plans-test", Options.V1.Role.Admin);

    public GenerationHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await GenerationHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync("vt_plans"),
            new Dictionary<string, string?>
            {
                ["Generation:VideoTools:X264Preset"] = "ultrafast",
                ["Generation:MaxActiveJobsPerUser"] = "4",
            });
        // Short limits so the test videos stay small: FREE 10 s, PRO 30 s.
        await EditPlanAsync(PlanIds.Free, p => p.MaxVideoToolsSeconds = 10);
        await EditPlanAsync("pro", p => p.MaxVideoToolsSeconds = 30);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public async Task EditPlanAsync(string id, Action<Plan> edit)
    {
        var plan = (await Harness.SendAsync(new GetPlanRequest { Id = id })).Value.Plan;
        edit(plan);
        var upserted = await Harness.SendAsync(new UpsertPlanRequest { Plan = plan }, Admin);
        Assert.True(upserted.IsSuccess, upserted.ToString());
    }
}

/// <summary>
/// The user's plan decides the video tools' limits (ADR 0142): the longest video, the watermark, the jobs a day and
/// the output resolution, for a FREE and a PRO user, read at every call so an upgrade counts at once. Real ffmpeg, Sandbox speech.
/// </summary>
public sealed class VideoToolsPlanTests(VideoToolsPlanFixture fixture) : IClassFixture<VideoToolsPlanFixture>
{
    private GenerationHarness H => fixture.Harness;

    private Task EditPlanAsync(string id, Action<Plan> edit) => fixture.EditPlanAsync(id, edit);

    /// <summary>Gives the user a paid plan the way Billing records a paid period (the row PaymentSucceeded writes).</summary>
    private async Task GivePlanAsync(long user, string plan, string expiresIn = "1 day") =>
        await H.ScalarAsync<int>(
            "WITH upsert AS (INSERT INTO billing.user_plans (user_id, plan_id, expires_at, updated_at) VALUES (@user, @plan, now() + @expires::interval, now()) " +
            "ON CONFLICT (user_id) DO UPDATE SET plan_id = excluded.plan_id, expires_at = excluded.expires_at RETURNING 1) SELECT count(*)::int FROM upsert",
            ("user", user),
            ("plan", plan),
            ("expires", expiresIn));

    private async Task<GetVideoToolsLimitsResponse> LimitsAsync(long? user)
    {
        var limits = await H.SendAsync(new GetVideoToolsLimitsRequest(), user is { } id ? Principal.ForUser(id) : Principal.Anonymous);
        Assert.True(limits.IsSuccess, limits.ToString());
        return limits.Value;
    }

    private async Task<InspectVideoForToolsResponse> InspectAsync(long user, byte[] video) =>
        (await H.SendAsync(new InspectVideoForToolsRequest { UserId = user, Content = ByteString.CopyFrom(video), FileName = "clip.mp4" })).Value;

    [Fact]
    public async Task A_free_user_gets_the_free_plans_limits_and_an_upgrade_to_pro_raises_them_at_once()
    {
        var user = await H.FundedUserAsync(1000);
        var fifteenSeconds = await TestVideos.PatternAsync(15, "sine", size: "64x36");

        var anonymous = await LimitsAsync(null);
        var free = await LimitsAsync(user);
        var refused = await InspectAsync(user, fifteenSeconds);
        await GivePlanAsync(user, "pro");
        var pro = await LimitsAsync(user);
        var accepted = await InspectAsync(user, fifteenSeconds);
        var quote = (await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = accepted.Upload.UploadId, Choice = new VideoToolsChoice() })).Value;

        Assert.Equal((PlanIds.Free, 10, true, 20, 1280), (anonymous.PlanId, anonymous.MaxDurationSeconds, anonymous.Watermark, anonymous.JobsPerDay, anonymous.MaxOutputSide));
        Assert.Equal((PlanIds.Free, 10, true, 20, 1280), (free.PlanId, free.MaxDurationSeconds, free.Watermark, free.JobsPerDay, free.MaxOutputSide));
        Assert.Equal(VideoRefusal.TooLong, refused.Refusal);
        Assert.Null(refused.Upload);
        Assert.Equal(("pro", 30, false, 100, 1920), (pro.PlanId, pro.MaxDurationSeconds, pro.Watermark, pro.JobsPerDay, pro.MaxOutputSide));
        Assert.Equal(VideoRefusal.Unspecified, accepted.Refusal);
        Assert.Equal(("pro", false, 5L, 1920), (quote.PlanId, quote.Watermark, quote.PriceCredits, quote.MaxOutputSide));
    }

    [Fact]
    public async Task A_plan_without_a_video_limit_or_output_side_of_its_own_gets_the_tools_defaults()
    {
        await EditPlanAsync("creator", p => (p.MaxVideoToolsSeconds, p.VideoToolsMaxSide) = (0, 0));
        var user = await H.FundedUserAsync(10);
        await GivePlanAsync(user, "creator");

        var limits = await LimitsAsync(user);

        Assert.Equal(("creator", 300), (limits.PlanId, limits.MaxDurationSeconds)); // Generation:VideoTools:MaxDurationSeconds.
        Assert.Equal(1920, limits.MaxOutputSide); // 1080p.
    }

    [Fact]
    public async Task A_free_vertical_render_is_720_by_1280_and_a_pro_one_1080_by_1920_each_job_keeping_its_plans_size()
    {
        var video = await TestVideos.PatternAsync(2, "sine", size: "640x360");
        var free = await H.FundedUserAsync(1000);
        var pro = await H.FundedUserAsync(1000);
        await GivePlanAsync(pro, "pro");
        var choice = new VideoToolsChoice { Reframe = Reframe.CentreCrop };

        var freeJob = await H.VideoToolsJobAsync(free, await H.UploadVideoAsync(free, video), choice);
        var proJob = await H.VideoToolsJobAsync(pro, await H.UploadVideoAsync(pro, video), choice);

        Assert.True(freeJob.Status == JobStatus.Succeeded, freeJob.FailureReason?.En);
        Assert.True(proJob.Status == JobStatus.Succeeded, proJob.FailureReason?.En);
        Assert.Equal((720, 1280), await PictureSizeAsync(freeJob));
        Assert.Equal((1080, 1920), await PictureSizeAsync(proJob));
        Assert.Equal((720, 1280), (freeJob.Media[0].Width, freeJob.Media[0].Height));
        Assert.Equal((1080, 1920), (proJob.Media[0].Width, proJob.Media[0].Height));
        Assert.Equal(1280, await H.ScalarAsync<int>("SELECT max_output_side FROM generation.video_tool_jobs WHERE job_id = @id", ("id", Guid.Parse(freeJob.Id))));
        Assert.Equal(1920, await H.ScalarAsync<int>("SELECT max_output_side FROM generation.video_tool_jobs WHERE job_id = @id", ("id", Guid.Parse(proJob.Id))));
    }

    [Fact]
    public async Task A_render_that_is_not_reframed_keeps_a_small_source_and_fits_a_large_one_into_the_plans_side()
    {
        var small = await TestVideos.PatternAsync(1, "sine", size: "640x360");
        var large = await TestVideos.PatternAsync(1, "sine", size: "1920x1080");
        var user = await H.FundedUserAsync(1000);
        var captions = new VideoToolsChoice { Captions = CaptionStyle.Classic };

        var smallJob = await H.VideoToolsJobAsync(user, await H.UploadVideoAsync(user, small), captions);
        var largeJob = await H.VideoToolsJobAsync(user, await H.UploadVideoAsync(user, large), captions);

        Assert.True(largeJob.Status == JobStatus.Succeeded, largeJob.FailureReason?.En);
        Assert.Equal((640, 360), await PictureSizeAsync(smallJob));
        Assert.Equal((1280, 720), await PictureSizeAsync(largeJob)); // FREE: the longest side at most 1280.
    }

    [Fact]
    public async Task A_plan_that_ends_after_the_upload_refuses_the_quote_and_the_start_on_the_duration_with_nothing_held()
    {
        var user = await H.FundedUserAsync(1000);
        await GivePlanAsync(user, "pro");
        var upload = await H.UploadVideoAsync(user, await TestVideos.PatternAsync(15, "sine", size: "64x36"));
        await GivePlanAsync(user, "pro", expiresIn: "-1 second");

        var quote = await H.SendAsync(new QuoteVideoToolsRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice() });
        var start = await H.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice(), ClientRequestId = "lapsed" });

        Assert.Contains(quote.ValidationErrors, e => e.Identifier == VideoToolsFields.Duration && e.ErrorMessage.Contains("10 s the free plan", StringComparison.Ordinal));
        Assert.Contains(start.ValidationErrors, e => e.Identifier == VideoToolsFields.Duration);
        Assert.Equal(0L, await H.ScalarAsync<long>("SELECT count(*) FROM billing.holds WHERE user_id = @user", ("user", user)));
        Assert.Equal(1000, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task The_free_plan_watermarks_the_rendered_video_and_pro_does_not()
    {
        // A black picture: anything bright in the top right corner is the watermark (captions sit in the lower third).
        var video = await TestVideos.PatternAsync(2, "sine", size: "640x360", picture: "color=c=black");
        var free = await H.FundedUserAsync(1000);
        var pro = await H.FundedUserAsync(1000);
        await GivePlanAsync(pro, "pro");
        var choice = new VideoToolsChoice { Captions = CaptionStyle.Classic };

        var freeJob = await H.VideoToolsJobAsync(free, await H.UploadVideoAsync(free, video), choice);
        var proJob = await H.VideoToolsJobAsync(pro, await H.UploadVideoAsync(pro, video), choice);

        Assert.True(freeJob.Status == JobStatus.Succeeded, freeJob.FailureReason?.En);
        Assert.True(proJob.Status == JobStatus.Succeeded, proJob.FailureReason?.En);
        var freeFrame = await FrameAsync(freeJob);
        var proFrame = await FrameAsync(proJob);
        Assert.True(TestVideos.BrightPixels(freeFrame, 640, 420, 0, 640, 40, threshold: 120) > 20, "the FREE plan's watermark, top right");
        Assert.Equal(0, TestVideos.BrightPixels(proFrame, 640, 420, 0, 640, 40, threshold: 120));
        Assert.True(TestVideos.BrightPixels(proFrame, 640, 0, 240, 640, 360) > 100, "PRO still gets its captions");
        Assert.True(await H.ScalarAsync<bool>("SELECT watermark FROM generation.video_tool_jobs WHERE job_id = @id", ("id", Guid.Parse(freeJob.Id))));
        Assert.False(await H.ScalarAsync<bool>("SELECT watermark FROM generation.video_tool_jobs WHERE job_id = @id", ("id", Guid.Parse(proJob.Id))));
    }

    [Fact]
    public async Task The_plans_daily_job_limit_refuses_the_next_video_with_nothing_held_and_names_the_plan()
    {
        await EditPlanAsync(PlanIds.Free, p => p.DailyJobLimit = 2);
        try
        {
            var user = await H.FundedUserAsync(1000);
            var upload = await H.UploadVideoAsync(user, (await TestVideos.WithSpeechAsync("Daily limit.", 0.3, 2)).Video);
            for (var i = 0; i < 2; i++)
            {
                var outcome = (await H.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice(), ClientRequestId = $"day-{i}" })).Value.Outcome;
                await H.WaitSettledAsync(outcome.Job.Id, seconds: 120);
            }

            var refused = (await H.SendAsync(new StartVideoToolsForUserRequest { UserId = user, UploadId = upload.UploadId, Choice = new VideoToolsChoice(), ClientRequestId = "day-2" })).Value.Outcome;

            Assert.Equal((true, 2, PlanIds.Free), (refused.DailyLimitReached, refused.DailyLimit, refused.PlanId));
            Assert.Null(refused.Job);
            var balance = await H.BalanceAsync(user);
            Assert.Equal((990L, 0L), (balance.Available, balance.Reserved));
        }
        finally
        {
            await EditPlanAsync(PlanIds.Free, p => p.DailyJobLimit = 20);
        }
    }

    private async Task<(int Width, int Height)> PictureSizeAsync(Job job)
    {
        var content = (await H.SendAsync(new GetMediaContentRequest { MediaId = job.Media[0].Id })).Value.Content.ToByteArray();
        var picture = (await TestVideos.ProbeAsync(content)).GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == "video");
        return (picture.GetProperty("width").GetInt32(), picture.GetProperty("height").GetInt32());
    }

    private async Task<byte[]> FrameAsync(Job job)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nb-plan-frame-{Guid.NewGuid():N}.mp4");
        try
        {
            await File.WriteAllBytesAsync(path, (await H.SendAsync(new GetMediaContentRequest { MediaId = job.Media[0].Id })).Value.Content.ToByteArray());
            return await TestVideos.GreyFrameAsync(path, 1.0, 640, 360);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
