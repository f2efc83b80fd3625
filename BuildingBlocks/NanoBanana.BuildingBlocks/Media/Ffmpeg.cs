using System.ComponentModel;
using System.Diagnostics;

namespace NanoBanana.BuildingBlocks.Media;

/// <summary>
/// Runs the machine's ffmpeg (installed by <c>./nb</c> and the Docker image) once: the Sandbox renders clips with it,
/// the bot scales previews of images too large for a Telegram photo. Input on stdin, output read from stdout.
/// </summary>
public static class Ffmpeg
{
    /// <summary>Returns what ffmpeg wrote to stdout; throws <see cref="FfmpegException"/> when it is missing or fails.</summary>
    public static async Task<byte[]> RunAsync(string path, IEnumerable<string> arguments, byte[]? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new FfmpegException($"ffmpeg did not start from '{path}'");
        }
        catch (Win32Exception exception)
        {
            throw new FfmpegException($"ffmpeg not found at '{path}' — install it (./nb installs it; or apt-get install ffmpeg) or configure its path", exception);
        }

        using (process)
        {
            using var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
                    process.StandardInput.Close();
                }

                await Task.WhenAll(reading, errors, process.WaitForExitAsync(cancellationToken));
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                process.Kill(entireProcessTree: true);
                if (exception is OperationCanceledException)
                {
                    throw;
                }

                throw new FfmpegException($"ffmpeg stopped reading its input: {Truncate(await errors)}", exception);
            }

            return process.ExitCode == 0
                ? output.ToArray()
                : throw new FfmpegException($"ffmpeg failed: {Truncate(await errors)}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}

public sealed class FfmpegException(string message, Exception? inner = null) : Exception(message, inner);
