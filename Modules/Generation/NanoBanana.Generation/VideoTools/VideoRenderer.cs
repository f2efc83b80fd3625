using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// What the render step makes of the source; <paramref name="ReplaceAudio"/>: the voice-over is the only sound;
/// <paramref name="MaxOutputSide"/>: the plan's longest side of the result.
/// </summary>
internal sealed record RenderPlan(Reframe Reframe, string? CaptionsPath, string? VoicePath, string? Watermark, bool ReplaceAudio = false, int MaxOutputSide = VideoRenderer.DefaultMaxOutputSide);

/// <summary>A voiced line: its audio file, the ffmpeg input options it needs (raw PCM has no header), and where it starts.</summary>
internal sealed record VoiceClip(string Path, IReadOnlyList<string> InputFormat, double Start);

/// <summary>
/// The ffmpeg commands of the pipeline, each one run of the shared <see cref="Ffmpeg"/> runner under the
/// <c>Generation:VideoTools</c> limits, with encodes behind a per-replica gate (they are CPU-bound). A failed
/// run becomes a provider failure: a timeout is <see cref="FailureClass.Timeout"/>, an output over the limit
/// <see cref="FailureClass.InvalidInput"/>, a missing binary or a crash <see cref="FailureClass.Permanent"/>.
/// </summary>
internal sealed partial class VideoRenderer(VideoToolsOptions options) : IDisposable
{
    /// <summary>Longest side of a rendered video when the plan sets none (1080p: a 9:16 reframe is 1080×1920).</summary>
    public const int DefaultMaxOutputSide = 1920;

    private const int VoiceSampleRate = 24000;

    private readonly SemaphoreSlim _encodes = new(Math.Max(1, options.MaxRenders));

    public FfmpegLimits Limits { get; } = new(options.FfmpegTimeout, options.MaxOutputBytes);

    /// <summary>ffprobe writes a few kilobytes of JSON: its cap is its own, not the cap of a rendered file (a low one refused every probe).</summary>
    private FfmpegLimits ProbeLimits { get; } = new(options.FfmpegTimeout, 1024 * 1024);

    public void Dispose() => _encodes.Dispose();

    /// <summary>Probes a file; null when ffprobe cannot read it as media at all.</summary>
    public Task<MediaProbe?> ProbeAsync(string path, CancellationToken cancellationToken) =>
        Guarded(() => Ffmpeg.ProbeAsync(options.FfprobePath, path, ProbeLimits, cancellationToken));

    /// <summary>One ffmpeg run writing <paramref name="output"/>, waiting its turn at the encode gate.</summary>
    public async Task EncodeAsync(IReadOnlyList<string> arguments, string output, CancellationToken cancellationToken)
    {
        await _encodes.WaitAsync(cancellationToken);
        try
        {
            await Guarded(() => Ffmpeg.EncodeAsync(options.FfmpegPath, arguments, output, Limits, cancellationToken));
        }
        finally
        {
            _encodes.Release();
        }
    }

    /// <summary>Any tool (espeak-ng, an analysing ffmpeg pass) under the same limits; its exit code is the caller's to judge.</summary>
    public Task<ToolOutput> ExecAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Guarded(() => Ffmpeg.ExecAsync(tool, arguments, input: null, Limits, cancellationToken));

    /// <summary>Mono 16 kHz FLAC: what speech recognition needs, small enough to send inline (≈ 1 MB per minute).</summary>
    public Task ExtractAudioAsync(string source, string output, CancellationToken cancellationToken) =>
        EncodeAsync(["-i", source, "-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000", "-c:a", "flac"], output, cancellationToken);

    /// <summary>Spans of sound between silences (ffmpeg <c>silencedetect</c>), for the offline transcription.</summary>
    public async Task<IReadOnlyList<(double Start, double End)>> SoundSpansAsync(string audio, double duration, CancellationToken cancellationToken)
    {
        var (exitCode, _, log) = await ExecAsync(
            options.FfmpegPath,
            ["-hide_banner", "-nostdin", "-i", audio, "-af", "silencedetect=noise=-35dB:d=0.35", "-f", "null", "-"],
            cancellationToken);
        if (exitCode != 0)
        {
            return [(0, duration)];
        }

        var spans = new List<(double, double)>();
        var soundStart = 0.0;
        foreach (Match match in SilenceEvent().Matches(log))
        {
            var at = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (match.Groups[1].Value == "start")
            {
                if (at - soundStart > 0.05)
                {
                    spans.Add((soundStart, at));
                }

                soundStart = double.MaxValue;
            }
            else
            {
                soundStart = at;
            }
        }

        if (soundStart < duration - 0.05)
        {
            spans.Add((soundStart, duration));
        }

        return spans;
    }

    /// <summary>
    /// One mono WAV exactly <paramref name="duration"/> long with each clip placed at its start (a clip
    /// running into the next one is cut there), so the voice-over lines up with the subtitles.
    /// </summary>
    public async Task VoiceTrackAsync(IReadOnlyList<VoiceClip> clips, double duration, string workFolder, string output, CancellationToken cancellationToken)
    {
        var samples = new short[(int)Math.Ceiling(duration * VoiceSampleRate)];
        for (var i = 0; i < clips.Count; i++)
        {
            var raw = Path.Combine(workFolder, $"clip-{i}.s16");
            await EncodeAsync([.. clips[i].InputFormat, "-i", clips[i].Path, "-ac", "1", "-ar", VoiceSampleRate.ToString(CultureInfo.InvariantCulture), "-f", "s16le"], raw, cancellationToken);
            var pcm = await File.ReadAllBytesAsync(raw, cancellationToken);
            var from = (int)(clips[i].Start * VoiceSampleRate);
            var until = i + 1 < clips.Count ? (int)(clips[i + 1].Start * VoiceSampleRate) : samples.Length;
            for (var s = 0; s < pcm.Length / 2 && from + s < Math.Min(until, samples.Length); s++)
            {
                samples[from + s] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(s * 2));
            }
        }

        await File.WriteAllBytesAsync(output, Wav(samples, VoiceSampleRate), cancellationToken);
    }

    /// <summary>A plan's longest output side, its 0 meaning the tools' default.</summary>
    public static int MaxOutputSideFor(int planMaxSide) => planMaxSide > 0 ? planMaxSide : DefaultMaxOutputSide;

    /// <summary>
    /// The frame size a render produces for a source of <paramref name="width"/>×<paramref name="height"/> under a
    /// plan's longest side: a 9:16 reframe is exactly that tall (720×1280 for 1280); otherwise a larger source is
    /// scaled down to fit it, a smaller one keeps its size.
    /// </summary>
    public static (int Width, int Height) OutputSize(Reframe reframe, int width, int height, int maxSide)
    {
        if (reframe != Reframe.Unspecified)
        {
            return (Even(maxSide * 9.0 / 16), Even(maxSide));
        }

        var scale = Math.Min(1.0, (double)maxSide / Math.Max(width, height));
        return (Even(width * scale), Even(height * scale));
    }

    /// <summary>H.264/AAC MP4 with the index up front (Telegram streams it while downloading).</summary>
    public Task RenderAsync(string source, MediaProbe probe, RenderPlan plan, string output, CancellationToken cancellationToken)
    {
        var (width, height) = OutputSize(plan.Reframe, probe.Width, probe.Height, plan.MaxOutputSide);
        var graph = new List<string>();
        graph.Add(plan.Reframe switch
        {
            // The background is blurred at quarter size: the same look for a fraction of the work.
            Reframe.BlurredBackground =>
                $"[0:v]split=2[bgsrc][fgsrc];[bgsrc]scale={width / 4}:{height / 4}:force_original_aspect_ratio=increase,crop={width / 4}:{height / 4},boxblur=10:2,scale={width}:{height}[bg];" +
                $"[fgsrc]scale={width}:{height}:force_original_aspect_ratio=decrease[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1[v0]",
            Reframe.CentreCrop => $"[0:v]scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1[v0]",
            _ => $"[0:v]scale={width}:{height},setsar=1[v0]",
        });
        var last = "v0";
        if (plan.CaptionsPath is { } captions)
        {
            graph.Add($"[{last}]ass=filename='{FilterPath(captions)}'[v1]");
            last = "v1";
        }

        if (plan.Watermark is { Length: > 0 } mark)
        {
            graph.Add($"[{last}]drawtext=font='DejaVu Sans':text='{FilterText(mark)}':fontcolor=white@0.65:bordercolor=black@0.5:borderw=2:fontsize=h*0.032:x=w-tw-w*0.03:y=h*0.025[v2]");
            last = "v2";
        }

        graph.Add($"[{last}]format=yuv420p[vout]");
        var arguments = new List<string> { "-i", source };
        string audioMap;
        if (plan.VoicePath is { } voice)
        {
            arguments.AddRange(["-i", voice]);
            // Mixed: the original sound stays underneath at a fifth of its level (music and effects), the voice on top.
            graph.Add(probe.HasAudio && !plan.ReplaceAudio
                ? "[0:a]aresample=48000,volume=0.2[orig];[1:a]aresample=48000[vo];[orig][vo]amix=inputs=2:duration=first:normalize=0[aout]"
                : "[1:a]aresample=48000[aout]");
            audioMap = "[aout]";
        }
        else
        {
            audioMap = "0:a?";
        }

        arguments.AddRange([
            "-filter_complex", string.Join(';', graph),
            "-map", "[vout]", "-map", audioMap,
            "-c:v", "libx264", "-preset", options.X264Preset, "-crf", "23",
            "-c:a", "aac", "-b:a", "128k",
            "-t", probe.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-movflags", "+faststart",
        ]);
        return EncodeAsync(arguments, output, cancellationToken);
    }

    private static async Task<T> Guarded<T>(Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (FfmpegException exception)
        {
            throw AsProviderFailure(exception);
        }
    }

    private static async Task Guarded(Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (FfmpegException exception)
        {
            throw AsProviderFailure(exception);
        }
    }

    private static ProviderFailureException AsProviderFailure(FfmpegException exception) => exception.Failure switch
    {
        FfmpegFailure.TimedOut => new ProviderFailureException(FailureClass.Timeout, exception.Message, exception),
        FfmpegFailure.OutputTooLarge => new ProviderFailureException(FailureClass.InvalidInput, exception.Message, exception),
        _ => new ProviderFailureException(FailureClass.Permanent, exception.Message, exception),
    };

    private static int Even(double value) => Math.Max(2, (int)value / 2 * 2);

    /// <summary>A path inside a filter argument: quotes, colons and backslashes are special there.</summary>
    private static string FilterPath(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);

    private static string FilterText(string text) => FilterPath(text).Replace("%", "\\%", StringComparison.Ordinal);

    private static byte[] Wav(short[] samples, int rate)
    {
        var data = samples.Length * 2;
        var wav = new byte[44 + data];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + data);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), data);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + (i * 2)), samples[i]);
        }

        return wav;
    }

    [GeneratedRegex(@"silence_(start|end): (-?[0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SilenceEvent();
}
