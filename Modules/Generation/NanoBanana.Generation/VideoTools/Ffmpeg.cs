using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.VideoTools;

/// <summary>What ffprobe says about a file: the first video stream's size, whether there is sound, the length.</summary>
internal sealed record MediaProbe(double DurationSeconds, int Width, int Height, bool HasVideo, bool HasAudio);

/// <summary>
/// Runs ffmpeg and ffprobe with guard rails: a wall-clock timeout that kills the process tree, an
/// output size limit (<c>-fs</c>), no stdin, and a per-replica gate on encodes (they are CPU-bound).
/// Failures are classified like provider failures: a timeout is <see cref="FailureClass.Timeout"/>,
/// a missing binary or a crash <see cref="FailureClass.Permanent"/>.
/// </summary>
internal sealed class Ffmpeg(VideoToolsOptions options) : IDisposable
{
    private readonly SemaphoreSlim _encodes = new(Math.Max(1, options.MaxRenders));

    public void Dispose() => _encodes.Dispose();

    /// <summary>Probes a file; null when ffprobe cannot read it as media at all.</summary>
    public async Task<MediaProbe?> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var (exitCode, output, _) = await ExecAsync(
            options.FfprobePath, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], cancellationToken);
        return exitCode == 0 ? ParseProbe(output) : null;
    }

    internal static MediaProbe? ParseProbe(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams))
        {
            return null;
        }

        int width = 0, height = 0;
        bool hasVideo = false, hasAudio = false;
        double streamDuration = 0;
        foreach (var stream in streams.EnumerateArray())
        {
            var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
            var attachedPicture = stream.TryGetProperty("disposition", out var disposition)
                && disposition.TryGetProperty("attached_pic", out var pic) && pic.GetInt32() == 1;
            if (type == "video" && !hasVideo && !attachedPicture)
            {
                hasVideo = true;
                width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
                height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
            }
            else if (type == "audio")
            {
                hasAudio = true;
            }

            if (stream.TryGetProperty("duration", out var d) && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                streamDuration = Math.Max(streamDuration, seconds);
            }
        }

        var duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var fd)
            && double.TryParse(fd.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var formatSeconds)
            ? formatSeconds
            : streamDuration;
        return new MediaProbe(duration, width, height, hasVideo, hasAudio);
    }

    /// <summary>
    /// Runs one ffmpeg command writing <paramref name="output"/> (the last argument is added here, after
    /// <c>-fs</c>). Throws when ffmpeg fails, times out, or the output reaches the size limit.
    /// </summary>
    public async Task EncodeAsync(IReadOnlyList<string> arguments, string output, CancellationToken cancellationToken)
    {
        await _encodes.WaitAsync(cancellationToken);
        try
        {
            var all = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
            all.AddRange(arguments);
            all.AddRange(["-fs", options.MaxOutputBytes.ToString(CultureInfo.InvariantCulture), output]);
            var (exitCode, _, errors) = await ExecAsync(options.FfmpegPath, all, cancellationToken);
            if (exitCode != 0)
            {
                throw new ProviderFailureException(FailureClass.Permanent, $"ffmpeg failed ({exitCode}): {Tail(errors)}");
            }

            if (!File.Exists(output))
            {
                throw new ProviderFailureException(FailureClass.Permanent, "ffmpeg wrote no output");
            }

            if (new FileInfo(output).Length >= options.MaxOutputBytes)
            {
                throw new ProviderFailureException(FailureClass.InvalidInput, $"the output reached the {options.MaxOutputBytes / (1024 * 1024)} MB limit");
            }
        }
        finally
        {
            _encodes.Release();
        }
    }

    /// <summary>Runs any tool under the same timeout (espeak-ng for the Sandbox voice); returns its exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> ExecAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        }
        catch (Win32Exception exception)
        {
            throw new ProviderFailureException(
                FailureClass.Permanent,
                $"'{tool}' not found — install it (./nb installs ffmpeg; apt-get install ffmpeg espeak-ng) or set Generation:VideoTools:{Path.GetFileName(tool)} path",
                exception);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.FfmpegTimeout);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new ProviderFailureException(FailureClass.Timeout, $"{Path.GetFileName(tool)} ran longer than {options.FfmpegTimeout}");
            }

            return (process.ExitCode, await output, await errors);
        }
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 300 ? trimmed : trimmed[^300..];
    }
}
