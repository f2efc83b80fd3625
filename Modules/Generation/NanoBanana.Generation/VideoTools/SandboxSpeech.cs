using System.Globalization;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// Offline speech for <c>./nb run</c> and tests: transcription finds the real spans of sound in the audio
/// (ffmpeg <c>silencedetect</c>) and numbers them, translation tags each line with the target language,
/// and speech is espeak-ng (a tone per word when espeak-ng is not installed). Deterministic.
/// </summary>
internal sealed class SandboxSpeech(VideoRenderer renderer, VideoToolsOptions options) : ISpeechEngine
{
    /// <summary>Longer spans of sound are split, like a real recogniser splits long sentences.</summary>
    private const double LongestLine = 6;

    public Engine Engine => Engine.Sandbox;

    public async Task<Transcript> TranscribeAsync(string audioPath, double duration, CancellationToken cancellationToken)
    {
        var segments = new List<Segment>();
        foreach (var (start, end) in await renderer.SoundSpansAsync(audioPath, duration, cancellationToken))
        {
            var pieces = Math.Max(1, (int)Math.Ceiling((end - start) / LongestLine));
            var length = (end - start) / pieces;
            for (var i = 0; i < pieces; i++)
            {
                var number = segments.Count + 1;
                segments.Add(new Segment(start + (i * length), start + ((i + 1) * length), $"Sandbox line {number}, words spoken here"));
            }
        }

        return new Transcript("en", segments);
    }

    public Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> lines, string language, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. lines.Select(line => $"[{language}] {line}")]);

    public async Task<SpeechAudio> SpeakAsync(string text, string language, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Path.GetTempPath(), $"nb-voice-{Guid.NewGuid():N}.wav");
        try
        {
            if (await EspeakAsync(text, language, output, cancellationToken) || await EspeakAsync(text, "en", output, cancellationToken))
            {
                return new SpeechAudio(await File.ReadAllBytesAsync(output, cancellationToken), []);
            }

            var seconds = Math.Max(0.5, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length * 0.35);
            await renderer.EncodeAsync(["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=f=440:d={seconds:0.##}")], output, cancellationToken);
            return new SpeechAudio(await File.ReadAllBytesAsync(output, cancellationToken), []);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>False when espeak-ng is missing or does not know the voice.</summary>
    private async Task<bool> EspeakAsync(string text, string voice, string output, CancellationToken cancellationToken)
    {
        try
        {
            var (exitCode, _, _) = await renderer.ExecAsync(options.EspeakPath, ["-v", voice, "-w", output, "--", text], cancellationToken);
            return exitCode == 0 && File.Exists(output) && new FileInfo(output).Length > 44;
        }
        catch (Providers.ProviderFailureException exception) when (exception.FailureClass == Contracts.V1.FailureClass.Permanent)
        {
            return false;
        }
    }
}
