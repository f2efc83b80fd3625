using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NanoBanana.BuildingBlocks.Media;

/// <summary>The guard rails of one run: a wall-clock limit, and the most it may write (stdout, or the output file via <c>-fs</c>).</summary>
public sealed record FfmpegLimits(TimeSpan Timeout, long MaxOutputBytes)
{
    /// <summary>For short one-off runs (a preview, a Sandbox clip): two minutes, 64 MB.</summary>
    public static readonly FfmpegLimits OneOff = new(TimeSpan.FromMinutes(2), 64L * 1024 * 1024);
}

/// <summary>Why a run gave no usable result.</summary>
public enum FfmpegFailure
{
    /// <summary>The binary is not installed (or not at the configured path).</summary>
    Missing,

    /// <summary>It exited with an error (its stderr's tail is in the message).</summary>
    Failed,

    /// <summary>It ran past <see cref="FfmpegLimits.Timeout"/> and was killed with its process tree.</summary>
    TimedOut,

    /// <summary>Its output reached <see cref="FfmpegLimits.MaxOutputBytes"/>.</summary>
    OutputTooLarge,
}

public sealed class FfmpegException(FfmpegFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public FfmpegFailure Failure { get; } = failure;
}

/// <summary>What a tool left behind: its exit code, stdout and (the tail of) stderr.</summary>
public sealed record ToolOutput(int ExitCode, byte[] Output, string Errors);

/// <summary>
/// The one runner of ffmpeg, ffprobe and their helpers (espeak-ng) for every module: the bot's previews, the
/// Sandbox's clips, the video tools' pipeline. Every run has a timeout that kills the process tree, a cap on
/// what it writes, honours cancellation (killing the process too) and keeps stderr for the error message.
/// </summary>
public static class Ffmpeg
{
    /// <summary>Enough stderr for ffmpeg's logs (silencedetect writes a line per silence); older lines are dropped.</summary>
    private const int MaxErrorChars = 256 * 1024;

    /// <summary>ffmpeg reading <paramref name="input"/> (when given) on stdin; returns what it wrote to stdout.</summary>
    public static async Task<byte[]> PipeAsync(string ffmpegPath, IEnumerable<string> arguments, byte[]? input, FfmpegLimits limits, CancellationToken cancellationToken)
    {
        var run = await ExecAsync(ffmpegPath, [.. Quiet(input is null), .. arguments], input, limits, cancellationToken);
        return run.ExitCode == 0 ? run.Output : throw Failed(ffmpegPath, run);
    }

    /// <summary>
    /// ffmpeg writing the file <paramref name="output"/> (added last, after <c>-fs</c>, overwriting); throws unless
    /// it exits cleanly with the file there and under the size limit (<c>-fs</c> stops it at the limit).
    /// </summary>
    public static async Task EncodeAsync(string ffmpegPath, IEnumerable<string> arguments, string output, FfmpegLimits limits, CancellationToken cancellationToken)
    {
        var run = await ExecAsync(
            ffmpegPath,
            [.. Quiet(noInput: true), "-y", .. arguments, "-fs", limits.MaxOutputBytes.ToString(CultureInfo.InvariantCulture), output],
            input: null,
            limits,
            cancellationToken);
        if (run.ExitCode != 0)
        {
            throw Failed(ffmpegPath, run);
        }

        if (!File.Exists(output))
        {
            throw new FfmpegException(FfmpegFailure.Failed, "ffmpeg wrote no output");
        }

        if (new FileInfo(output).Length >= limits.MaxOutputBytes)
        {
            throw new FfmpegException(FfmpegFailure.OutputTooLarge, $"the output reached the {limits.MaxOutputBytes / (1024 * 1024)} MB limit");
        }
    }

    /// <summary>What ffprobe reads in <paramref name="path"/>; null when it cannot read it as media at all.</summary>
    public static async Task<MediaProbe?> ProbeAsync(string ffprobePath, string path, FfmpegLimits limits, CancellationToken cancellationToken)
    {
        var run = await ExecAsync(ffprobePath, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], input: null, limits, cancellationToken);
        return run.ExitCode == 0 ? MediaProbe.Parse(Encoding.UTF8.GetString(run.Output)) : null;
    }

    /// <summary>
    /// Runs any tool under the limits and returns however it exited; throws only when it is missing, ran too long,
    /// or wrote more than the limit to stdout. Cancellation kills it and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<ToolOutput> ExecAsync(string tool, IEnumerable<string> arguments, byte[]? input, FfmpegLimits limits, CancellationToken cancellationToken)
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
            process = Process.Start(start) ?? throw new FfmpegException(FfmpegFailure.Missing, $"'{tool}' did not start");
        }
        catch (Win32Exception exception)
        {
            throw new FfmpegException(
                FfmpegFailure.Missing,
                $"{Path.GetFileName(tool)} not found at '{tool}' — install it (./nb installs ffmpeg and espeak-ng; or apt-get install ffmpeg espeak-ng) or configure its path",
                exception);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limits.Timeout);
            var output = new MemoryStream();
            var reading = ReadCappedAsync(process.StandardOutput.BaseStream, output, limits.MaxOutputBytes, timeout);
            var errors = ReadTailAsync(process.StandardError);
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token);
                }

                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token);
                await reading;
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // IOException: it exited (or closed stdin) before reading all of its input; its stderr says why.
                Kill(process);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                if (output.Length > limits.MaxOutputBytes)
                {
                    throw new FfmpegException(FfmpegFailure.OutputTooLarge, $"{Path.GetFileName(tool)} wrote more than {limits.MaxOutputBytes / (1024 * 1024)} MB");
                }

                if (exception is OperationCanceledException)
                {
                    throw new FfmpegException(FfmpegFailure.TimedOut, $"{Path.GetFileName(tool)} ran longer than {limits.Timeout}", exception);
                }

                throw new FfmpegException(FfmpegFailure.Failed, $"{Path.GetFileName(tool)} stopped reading its input: {Tail(await errors)}", exception);
            }

            return new ToolOutput(process.ExitCode, output.ToArray(), await errors);
        }
    }

    private static string[] Quiet(bool noInput) => noInput ? ["-hide_banner", "-nostdin", "-loglevel", "error"] : ["-hide_banner", "-loglevel", "error"];

    private static FfmpegException Failed(string tool, ToolOutput run) =>
        new(FfmpegFailure.Failed, $"{Path.GetFileName(tool)} failed ({run.ExitCode}): {Tail(run.Errors)}");

    /// <summary>Copies stdout until it passes <paramref name="limit"/>, then cancels the run (the caller kills the process).</summary>
    private static async Task ReadCappedAsync(Stream source, MemoryStream destination, long limit, CancellationTokenSource stop)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            destination.Write(buffer, 0, read);
            if (destination.Length > limit)
            {
                await stop.CancelAsync();
                return;
            }
        }
    }

    private static async Task<string> ReadTailAsync(StreamReader errors)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await errors.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxErrorChars)
            {
                text.Remove(0, text.Length - MaxErrorChars);
            }
        }

        return text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 300 ? trimmed : trimmed[^300..];
    }
}
