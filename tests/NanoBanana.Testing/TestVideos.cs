using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NanoBanana.Testing;

/// <summary>Small input videos the tests make with ffmpeg itself (test pattern + espeak-ng speech or tones), and ffprobe/frame reads of outputs.</summary>
public static class TestVideos
{
    /// <summary>
    /// A test-pattern video of <paramref name="seconds"/> with espeak-ng saying <paramref name="words"/>
    /// starting at <paramref name="speechAt"/> (over a steady tone of <paramref name="toneHz"/> when given, something
    /// of the original sound to find in the output); returns the file and the speech's real end (from the WAV's length).
    /// </summary>
    public static async Task<(byte[] Video, double SpeechEnd)> WithSpeechAsync(string words, double speechAt, double seconds, string size = "320x180", int? toneHz = null)
    {
        var folder = Directory.CreateTempSubdirectory("nb-testvideo-").FullName;
        try
        {
            var speech = Path.Combine(folder, "speech.wav");
            await RunAsync("espeak-ng", "-v", "en", "-w", speech, words);
            var speechLength = (await ProbeAsync(speech)).GetProperty("format").GetProperty("duration").GetString()!;
            var output = Path.Combine(folder, "input.mp4");
            var delay = ((int)(speechAt * 1000)).ToString(CultureInfo.InvariantCulture);
            await RunAsync(
                "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", $"testsrc=s={size}:r=25:d={seconds.ToString(CultureInfo.InvariantCulture)}",
                "-i", speech,
                "-f", "lavfi", "-i", $"sine=f={toneHz ?? 440}:d={seconds.ToString(CultureInfo.InvariantCulture)}",
                "-filter_complex", toneHz is null ? $"[1:a]adelay={delay},apad[a]" : $"[1:a]aresample=48000,adelay={delay},apad[speech];[2:a]aresample=48000[tone];[speech][tone]amix=inputs=2:duration=first:normalize=0[a]",
                "-map", "0:v", "-map", "[a]", "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", output);
            return (await File.ReadAllBytesAsync(output), speechAt + double.Parse(speechLength, CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A test pattern (or another lavfi <paramref name="picture"/> source, say "color=c=black") with a 440 Hz tone
    /// (<paramref name="audio"/> = "sine"), silence ("silence"), another lavfi source ("sine=f=3000") or no audio stream (null).
    /// </summary>
    public static async Task<byte[]> PatternAsync(double seconds, string? audio, string size = "320x180", string picture = "testsrc")
    {
        var folder = Directory.CreateTempSubdirectory("nb-testvideo-").FullName;
        try
        {
            var output = Path.Combine(folder, "input.mp4");
            var duration = seconds.ToString(CultureInfo.InvariantCulture);
            var arguments = new List<string> { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"{picture}{(picture.Contains('=', StringComparison.Ordinal) ? ':' : '=')}s={size}:r=25:d={duration}" };
            if (audio is not null)
            {
                arguments.AddRange(["-f", "lavfi", "-i", audio switch
                {
                    "sine" => $"sine=f=440:d={duration}",
                    "silence" => $"anullsrc=r=44100:cl=mono:d={duration}",
                    _ => $"{audio}:d={duration}",
                }, "-c:a", "aac"]);
            }

            arguments.AddRange(["-t", duration, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", output]);
            await RunAsync("ffmpeg", [.. arguments]);
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>ffprobe's JSON (format and streams) of a file's bytes.</summary>
    public static async Task<JsonElement> ProbeAsync(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nb-probe-test-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, content);
        try
        {
            return await ProbeAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<JsonElement> ProbeAsync(string path) =>
        JsonDocument.Parse(await RunAsync("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)).RootElement.Clone();

    /// <summary>
    /// The loudest moment (dBFS, ffmpeg <c>volumedetect</c>) of a file's sound within a narrow band around
    /// <paramref name="frequency"/> (two band-pass passes: tones elsewhere fall some 80 dB); -91 is silence.
    /// </summary>
    public static async Task<double> ToneLevelAsync(string path, int frequency)
    {
        var band = $"bandpass=f={frequency}:width_type=h:w=200";
        var log = await RunAsync(
            "ffmpeg", errorsToo: true, "-hide_banner", "-nostdin", "-i", path, "-vn", "-af", $"{band},{band},volumedetect", "-f", "null", "-");
        var line = log.Split('\n').Last(l => l.Contains("max_volume:", StringComparison.Ordinal));
        var value = line[(line.IndexOf("max_volume:", StringComparison.Ordinal) + "max_volume:".Length)..].Replace("dB", "", StringComparison.Ordinal).Trim();
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>One frame at <paramref name="seconds"/> as 8-bit grey pixels, row by row.</summary>
    public static async Task<byte[]> GreyFrameAsync(string path, double seconds, int width, int height)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"nb-frame-{Guid.NewGuid():N}.gray");
        try
        {
            await RunAsync(
                "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", path,
                "-frames:v", "1", "-vf", $"scale={width}:{height}", "-f", "rawvideo", "-pix_fmt", "gray", raw);
            return await File.ReadAllBytesAsync(raw);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary>Pixels brighter than <paramref name="threshold"/> inside a rectangle of a grey frame.</summary>
    public static int BrightPixels(byte[] frame, int width, int x0, int y0, int x1, int y1, byte threshold = 200)
    {
        var count = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                count += frame[(y * width) + x] > threshold ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>(start, end, text) of every SubRip cue.</summary>
    public static List<(double Start, double End, string Text)> ParseSrt(string srt)
    {
        var cues = new List<(double, double, string)>();
        foreach (var block in srt.Replace("\r", "", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var times = lines[1].Split(" --> ");
            cues.Add((SrtSeconds(times[0]), SrtSeconds(times[1]), string.Join('\n', lines.Skip(2))));
        }

        return cues;
    }

    private static double SrtSeconds(string value) => TimeSpan.ParseExact(value, @"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture).TotalSeconds;

    private static Task<string> RunAsync(string program, params string[] arguments) => RunAsync(program, errorsToo: false, arguments);

    /// <summary>Runs a tool to its end; returns stdout (and stderr after it when <paramref name="errorsToo"/>: ffmpeg's analysers log there).</summary>
    private static async Task<string> RunAsync(string program, bool errorsToo, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (errorsToo ? await output + await errors : await output) : throw new InvalidOperationException($"{program} failed: {await errors}");
    }
}
