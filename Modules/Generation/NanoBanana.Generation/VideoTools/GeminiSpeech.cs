using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.VideoTools;

/// <summary>
/// Gemini API <c>generateContent</c> for the video tools: transcription of inline FLAC into timed
/// segments through a response schema, translation of subtitle lines as a JSON array, and speech from
/// a TTS model (headerless L16 PCM with its rate in the MIME type, or a complete WAV).
/// </summary>
internal sealed class GeminiSpeech(GeminiOptions gemini, VideoToolsOptions options, ProviderHttp http) : ISpeechEngine
{
    public Engine Engine => Engine.Gemini;

    public async Task<Transcript> TranscribeAsync(string audioPath, double duration, CancellationToken cancellationToken)
    {
        var audio = await File.ReadAllBytesAsync(audioPath, cancellationToken);
        var body = new JsonObject
        {
            ["contents"] = new JsonArray
            {
                new JsonObject
                {
                    ["role"] = "user",
                    ["parts"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["text"] = "Transcribe the speech in this audio as subtitles. Split it into lines of at most 12 words at natural pauses. "
                                + "For each line give its start and end time in seconds from the beginning of the audio (numbers like 12.5) and the exact words spoken. "
                                + "Give the spoken language as an ISO 639-1 code. Return no lines when nobody speaks.",
                        },
                        new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "audio/flac", ["data"] = Convert.ToBase64String(audio) } },
                    },
                },
            },
            ["generationConfig"] = new JsonObject
            {
                ["responseMimeType"] = "application/json",
                ["responseSchema"] = new JsonObject
                {
                    ["type"] = "OBJECT",
                    ["properties"] = new JsonObject
                    {
                        ["language_code"] = new JsonObject { ["type"] = "STRING" },
                        ["segments"] = new JsonObject
                        {
                            ["type"] = "ARRAY",
                            ["items"] = new JsonObject
                            {
                                ["type"] = "OBJECT",
                                ["properties"] = new JsonObject
                                {
                                    ["start_seconds"] = new JsonObject { ["type"] = "NUMBER" },
                                    ["end_seconds"] = new JsonObject { ["type"] = "NUMBER" },
                                    ["text"] = new JsonObject { ["type"] = "STRING" },
                                },
                                ["required"] = new JsonArray { "start_seconds", "end_seconds", "text" },
                            },
                        },
                    },
                    ["required"] = new JsonArray { "language_code", "segments" },
                },
            },
        };
        using var answer = await GenerateAsync(options.TranscriptionModel, body, "transcribe", cancellationToken);
        using var json = ParseText(answer.RootElement, "transcription");
        var root = json.RootElement;
        var segments = new List<Segment>();
        foreach (var item in root.GetProperty("segments").EnumerateArray())
        {
            var start = Math.Clamp(Seconds(item.GetProperty("start_seconds")), 0, duration);
            var end = Math.Clamp(Seconds(item.GetProperty("end_seconds")), 0, duration);
            var text = item.GetProperty("text").GetString()?.Trim() ?? string.Empty;
            if (text.Length > 0 && end > start)
            {
                segments.Add(new Segment(start, end, text));
            }
        }

        var language = root.TryGetProperty("language_code", out var code) ? code.GetString() ?? string.Empty : string.Empty;
        return new Transcript(language.Trim().ToLowerInvariant(), [.. segments.OrderBy(s => s.Start)]);
    }

    public async Task<IReadOnlyList<string>> TranslateAsync(IReadOnlyList<string> lines, string language, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["systemInstruction"] = new JsonObject
            {
                ["parts"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["text"] = $"You translate video subtitles into the language with ISO 639-1 code '{language}'. "
                            + "The user sends a JSON array of subtitle lines; answer with a JSON array of exactly as many translated lines, in the same order, one per input line. Keep lines short.",
                    },
                },
            },
            ["contents"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["parts"] = new JsonArray { new JsonObject { ["text"] = JsonSerializer.Serialize(lines) } } },
            },
            ["generationConfig"] = new JsonObject
            {
                ["responseMimeType"] = "application/json",
                ["responseSchema"] = new JsonObject { ["type"] = "ARRAY", ["items"] = new JsonObject { ["type"] = "STRING" } },
            },
        };
        using var answer = await GenerateAsync(options.TranslationModel, body, "translate", cancellationToken);
        using var json = ParseText(answer.RootElement, "translation");
        var translated = json.RootElement.EnumerateArray().Select(line => line.GetString() ?? string.Empty).ToList();
        return translated.Count == lines.Count
            ? translated
            : throw new ProviderFailureException(FailureClass.Transient, $"Gemini translated {lines.Count} lines into {translated.Count}");
    }

    public async Task<SpeechAudio> SpeakAsync(string text, string language, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["contents"] = new JsonArray { new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = text } } } },
            ["generationConfig"] = new JsonObject
            {
                ["responseModalities"] = new JsonArray { "AUDIO" },
                ["speechConfig"] = new JsonObject
                {
                    ["voiceConfig"] = new JsonObject { ["prebuiltVoiceConfig"] = new JsonObject { ["voiceName"] = options.SpeechVoice } },
                },
            },
        };
        using var answer = await GenerateAsync(options.SpeechModel, body, "speak", cancellationToken);
        var part = FirstPart(answer.RootElement, "speech");
        if (!part.TryGetProperty("inlineData", out var inline) && !part.TryGetProperty("inline_data", out inline))
        {
            throw new ProviderFailureException(FailureClass.Empty, "Gemini answered the speech request without audio");
        }

        var mime = (inline.TryGetProperty("mimeType", out var m) || inline.TryGetProperty("mime_type", out m) ? m.GetString() : null) ?? string.Empty;
        var data = Convert.FromBase64String(inline.GetProperty("data").GetString() ?? string.Empty);
        return new SpeechAudio(data, InputFormatOf(mime));
    }

    /// <summary><c>audio/L16;codec=pcm;rate=24000</c> is raw signed 16-bit little-endian mono; anything else has a header ffmpeg reads.</summary>
    internal static IReadOnlyList<string> InputFormatOf(string mimeType)
    {
        if (!mimeType.StartsWith("audio/L16", StringComparison.OrdinalIgnoreCase) && !mimeType.StartsWith("audio/pcm", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var rate = mimeType.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("rate=", StringComparison.OrdinalIgnoreCase)) is { } parameter
            && int.TryParse(parameter[5..], CultureInfo.InvariantCulture, out var value) ? value : 24000;
        return ["-f", "s16le", "-ar", rate.ToString(CultureInfo.InvariantCulture), "-ac", "1"];
    }

    private Task<JsonDocument> GenerateAsync(string model, JsonObject body, string operation, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{gemini.BaseUrl.TrimEnd('/')}/v1beta/models/{Uri.EscapeDataString(model)}:generateContent");
        return http.SendForJsonAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
                message.Headers.Add("x-goog-api-key", gemini.ApiKey);
                return message;
            },
            submission: true,
            operation,
            cancellationToken);
    }

    private static JsonElement FirstPart(JsonElement root, string what)
    {
        if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out var blockReason))
        {
            throw new ProviderFailureException(FailureClass.Safety, $"Gemini blocked the {what} request: {blockReason.GetString()}");
        }

        if (!root.TryGetProperty("candidates", out var candidates) || candidates.GetArrayLength() == 0
            || !candidates[0].TryGetProperty("content", out var content) || !content.TryGetProperty("parts", out var parts) || parts.GetArrayLength() == 0)
        {
            var finish = root.TryGetProperty("candidates", out var c) && c.GetArrayLength() > 0 && c[0].TryGetProperty("finishReason", out var f) ? f.GetString() : null;
            throw new ProviderFailureException(finish is "SAFETY" or "PROHIBITED_CONTENT" ? FailureClass.Safety : FailureClass.Empty, $"Gemini returned no {what} (finishReason {finish})");
        }

        return parts[0];
    }

    /// <summary>The JSON a response schema asked for arrives as the first part's text.</summary>
    private static JsonDocument ParseText(JsonElement root, string what)
    {
        var text = FirstPart(root, what).TryGetProperty("text", out var t) ? t.GetString() : null;
        try
        {
            return JsonDocument.Parse(text ?? throw new ProviderFailureException(FailureClass.Empty, $"Gemini's {what} has no text"));
        }
        catch (JsonException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, $"Gemini's {what} is not the JSON asked for", exception);
        }
    }

    private static double Seconds(JsonElement value) => value.ValueKind == JsonValueKind.Number
        ? value.GetDouble()
        : double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
}
