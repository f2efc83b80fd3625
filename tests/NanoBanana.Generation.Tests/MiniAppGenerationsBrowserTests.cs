using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// The Mini App's "My generations" screen (ListMyGenerations over gRPC-Web) in real Chromium against the real
/// Host: a finished video-tools job, an image job and an edit of it of one Telegram user, read in English and in Russian by the
/// node:test suite in tests/interop/browser (generations.test.mjs), which signs initData with this bot token.
/// </summary>
public sealed class MiniAppGenerationsBrowserTests : IAsyncLifetime
{
    private const string BotToken = "434343:GENERATIONS-browser-token";
    private static readonly string Suite = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "interop", "browser");
    private static readonly string MiniApp = Path.Combine(AppContext.BaseDirectory, "wwwroot", "app");
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var settings = VideoToolsTests.Settings();
        settings["Telegram:BotToken"] = BotToken;
        // Nothing here may reach the real Bot API with this fake token.
        settings["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9";
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("vt_miniapp"), settings);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_video_tools_job_is_listed_with_its_options_in_the_users_language_its_price_status_and_files()
    {
        Assert.True(File.Exists(Path.Combine(MiniApp, "index.html")), "The Mini App is not built: the Host's build needs Node 20 and npm (./nb test installs them).");
        var user = await _harness.FundedUserAsync(1000);
        var image = await _harness.StartAsync(user, new GenerationSpec { ModelSlug = "nano-banana", Kind = GenerationKind.TextToImage, Prompt = "a banana on the moon" });
        var (video, _) = await TestVideos.WithSpeechAsync("Hello from the history screen.", speechAt: 0.3, seconds: 2);
        var tools = await _harness.VideoToolsJobAsync(
            user, await _harness.UploadVideoAsync(user, video), new VideoToolsChoice { TranslateTo = "de", VoiceOver = true, ReplaceAudio = true });
        Assert.True(tools.Status == JobStatus.Succeeded, tools.FailureReason?.En);
        var imageJob = await _harness.WaitSettledAsync(image.Job.Id);
        Assert.Equal(JobStatus.Succeeded, imageJob.Status);
        var editSpec = new GenerationSpec { ModelSlug = "nano-banana", Kind = GenerationKind.ImageToImage, Prompt = "make it night", ParentJobId = image.Job.Id };
        editSpec.ReferenceImages.Add(new ReferenceImage { Data = (await _harness.SendAsync(new GetMediaContentRequest { MediaId = imageJob.Media[0].Id })).Value.Content });
        var edit = await _harness.WaitSettledAsync((await _harness.StartAsync(user, editSpec)).Job.Id);
        Assert.Equal(JobStatus.Succeeded, edit.Status);
        await ExternalProcess.EnsureNpmPackagesAsync(Suite);

        var (exitCode, output) = await ExternalProcess.RunAsync("node", ["--test", "generations.test.mjs"], Suite, new Dictionary<string, string>
        {
            ["HTTP_BASE"] = _harness.Host.HttpAddress.ToString().TrimEnd('/'),
            ["BOT_TOKEN"] = BotToken,
            ["USER_ID"] = user.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VIDEO_TOOLS_JOB"] = tools.Id,
            ["IMAGE_JOB"] = image.Job.Id,
            ["EDIT_JOB"] = edit.Id,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("# pass 2", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }
}
