using System.Text;
using NanoBanana.BuildingBlocks.Media;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Media;

/// <summary>The shared runner against the machine's real ffmpeg: output, stdin, and every guard rail.</summary>
public sealed class FfmpegTests
{
    private static readonly FfmpegLimits Roomy = new(TimeSpan.FromMinutes(2), 64L * 1024 * 1024);

    [Fact]
    public async Task A_piped_run_reads_stdin_and_returns_stdout()
    {
        var png = await Ffmpeg.PipeAsync("ffmpeg", ["-f", "lavfi", "-i", "testsrc=s=64x48:d=1", "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1"], null, Roomy, CancellationToken.None);

        var jpeg = await Ffmpeg.PipeAsync("ffmpeg", ["-i", "pipe:0", "-f", "image2pipe", "-c:v", "mjpeg", "pipe:1"], png, Roomy, CancellationToken.None);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
    }

    [Fact]
    public async Task An_encode_writes_its_file_and_a_probe_reads_it()
    {
        var output = Path.Combine(Path.GetTempPath(), $"nb-ffmpeg-test-{Guid.NewGuid():N}.mp4");
        try
        {
            await Ffmpeg.EncodeAsync("ffmpeg", ["-f", "lavfi", "-i", "testsrc=s=64x48:d=2", "-f", "lavfi", "-i", "sine=d=2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"], output, Roomy, CancellationToken.None);

            var probe = await Ffmpeg.ProbeAsync("ffprobe", output, Roomy, CancellationToken.None);
            Assert.NotNull(probe);
            Assert.Equal((64, 48, true, true), (probe.Width, probe.Height, probe.HasVideo, probe.HasAudio));
            Assert.InRange(probe.DurationSeconds, 1.5, 2.5);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task A_probe_of_something_that_is_not_media_is_null()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nb-ffmpeg-test-{Guid.NewGuid():N}.mp4");
        await File.WriteAllTextAsync(path, "not a video");
        try
        {
            Assert.Null(await Ffmpeg.ProbeAsync("ffprobe", path, Roomy, CancellationToken.None));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_failing_run_says_why_from_its_stderr()
    {
        var failure = await Assert.ThrowsAsync<FfmpegException>(() =>
            Ffmpeg.PipeAsync("ffmpeg", ["-i", "/nonexistent/input.mp4", "-f", "null", "-"], null, Roomy, CancellationToken.None));

        Assert.Equal(FfmpegFailure.Failed, failure.Failure);
        Assert.Contains("No such file", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_binary_is_reported_as_missing()
    {
        var failure = await Assert.ThrowsAsync<FfmpegException>(() =>
            Ffmpeg.ExecAsync("/nonexistent/ffmpeg", ["-version"], null, Roomy, CancellationToken.None));

        Assert.Equal(FfmpegFailure.Missing, failure.Failure);
    }

    [Fact]
    public async Task Stdout_past_the_limit_stops_the_run()
    {
        var limits = Roomy with { MaxOutputBytes = 1024 * 1024 };
        var marker = Guid.NewGuid().ToString("N");

        // Ten seconds of raw 320×240 frames are about 57 MB.
        var failure = await Assert.ThrowsAsync<FfmpegException>(() =>
            Ffmpeg.PipeAsync("ffmpeg", ["-f", "lavfi", "-i", "testsrc=s=320x240:d=10", "-metadata", $"title={marker}", "-f", "rawvideo", "pipe:1"], null, limits, CancellationToken.None));

        Assert.Equal(FfmpegFailure.OutputTooLarge, failure.Failure);
        Assert.False(IsRunning(marker));
    }

    [Fact]
    public async Task An_output_file_reaching_the_limit_is_refused()
    {
        var output = Path.Combine(Path.GetTempPath(), $"nb-ffmpeg-test-{Guid.NewGuid():N}.wav");
        try
        {
            // Thirty seconds of 16-bit noise are about 2.6 MB; -fs stops ffmpeg at the limit.
            var failure = await Assert.ThrowsAsync<FfmpegException>(() =>
                Ffmpeg.EncodeAsync("ffmpeg", ["-f", "lavfi", "-i", "anoisesrc=d=30", "-c:a", "pcm_s16le"], output, Roomy with { MaxOutputBytes = 100_000 }, CancellationToken.None));

            Assert.Equal(FfmpegFailure.OutputTooLarge, failure.Failure);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_killed()
    {
        var marker = Guid.NewGuid().ToString("N");

        // -re reads the source in real time: a minute of it cannot finish within the limit.
        var failure = await Assert.ThrowsAsync<FfmpegException>(() =>
            Ffmpeg.ExecAsync("ffmpeg", ["-nostdin", "-re", "-f", "lavfi", "-i", "sine=d=60", "-metadata", $"title={marker}", "-f", "null", "-"], null, Roomy with { Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None));

        Assert.Equal(FfmpegFailure.TimedOut, failure.Failure);
        Assert.False(IsRunning(marker));
    }

    [Fact]
    public async Task A_cancelled_run_is_killed_and_throws_the_cancellation()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        var run = Ffmpeg.ExecAsync("ffmpeg", ["-nostdin", "-re", "-f", "lavfi", "-i", "sine=d=60", "-metadata", $"title={marker}", "-f", "null", "-"], null, Roomy, cancellation.Token);
        await WaitUntilRunningAsync(marker);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(IsRunning(marker));
    }

    /// <summary>Whether any process's command line carries <paramref name="marker"/> (Linux /proc).</summary>
    private static bool IsRunning(string marker) =>
        Directory.EnumerateDirectories("/proc").Any(folder =>
        {
            try
            {
                return Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(folder, "cmdline"))).Contains(marker, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    private static async Task WaitUntilRunningAsync(string marker)
    {
        for (var attempt = 0; attempt < 200 && !IsRunning(marker); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(IsRunning(marker), "ffmpeg never started");
    }
}
