using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.VideoTools;

/// <summary>What speech recognition heard: the spoken language (ISO 639-1, "" when unknown) and timed lines.</summary>
internal sealed record Transcript(string Language, IReadOnlyList<Segment> Segments);

/// <summary>Synthesised speech: the bytes and the ffmpeg input options that read them (raw PCM needs its format spelled out).</summary>
internal sealed record SpeechAudio(byte[] Data, IReadOnlyList<string> InputFormat);

/// <summary>
/// One provider's speech adapter for the video tools: speech-to-text with timestamps, translation of
/// subtitle lines, text-to-speech. Thread-safe singletons; failures are <see cref="Providers.ProviderFailureException"/>s.
/// </summary>
internal interface ISpeechEngine
{
    Engine Engine { get; }

    /// <summary>Timed lines of <paramref name="audioPath"/> (mono 16 kHz FLAC, <paramref name="duration"/> seconds).</summary>
    Task<Transcript> TranscribeAsync(string audioPath, double duration, CancellationToken cancellationToken);

    /// <summary>The same number of lines, in order, in <paramref name="language"/>.</summary>
    Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> lines, string language, CancellationToken cancellationToken);

    Task<SpeechAudio> SpeakAsync(string text, string language, CancellationToken cancellationToken);
}

/// <summary>The speech adapters by engine (Gemini when it has a key, the Sandbox otherwise).</summary>
internal sealed class SpeechEngines(IEnumerable<ISpeechEngine> engines)
{
    private readonly Dictionary<Engine, ISpeechEngine> _byEngine = engines.ToDictionary(e => e.Engine);

    public ISpeechEngine Get(Engine engine) =>
        _byEngine.TryGetValue(engine, out var speech) ? speech : throw new InvalidOperationException($"No speech adapter for {engine}.");
}
