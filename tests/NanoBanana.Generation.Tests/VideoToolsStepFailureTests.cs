using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// The ffmpeg steps fail like the provider steps (VideoToolsGeminiTests): the job fails naming the step in both
/// languages, delivers nothing and releases the whole hold. Real ffmpeg stopped by the output cap (<c>-fs</c>):
/// a cap below the extracted audio fails the extraction, one above it but below the 9:16 render fails the render.
/// </summary>
public sealed class VideoToolsStepFailureTests
{
    [Theory]
    [InlineData(4_096, "extracting audio", "извлечение звука")]
    [InlineData(150_000, "rendering", "сборка видео")]
    public async Task An_ffmpeg_step_that_fails_names_the_step_and_releases_the_hold(long maxOutputBytes, string stepEn, string stepRu)
    {
        await using var harness = await GenerationHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync("vt_step_failure"),
            new Dictionary<string, string?>
            {
                ["Generation:VideoTools:X264Preset"] = "ultrafast",
                ["Generation:VideoTools:MaxOutputBytes"] = maxOutputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        var user = await harness.FundedUserAsync(1000);
        var upload = await harness.UploadVideoAsync(user, (await TestVideos.WithSpeechAsync("The render will not fit.", 0.3, 3)).Video);

        var job = await harness.VideoToolsJobAsync(user, upload, new VideoToolsChoice { Reframe = Reframe.BlurredBackground });

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains($"“{stepEn}”", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains($"«{stepRu}»", job.FailureReason.Ru, StringComparison.Ordinal);
        Assert.Empty(job.Media);
        var balance = await harness.BalanceAsync(user);
        Assert.Equal((1000L, 0L), (balance.Available, balance.Reserved));
    }
}
