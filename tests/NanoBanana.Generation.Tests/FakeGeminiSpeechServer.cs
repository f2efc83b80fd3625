using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// A loopback Gemini API for the video tools speaking <c>generateContent</c>'s wire format: transcription
/// (inline audio in, the response schema's JSON as the part's text out), translation (a JSON array of
/// lines in and out) and speech (base64 <c>audio/L16;codec=pcm;rate=24000</c>). A model id in
/// <see cref="FailingModels"/> answers HTTP 400; it records every body it received per model.
/// </summary>
public sealed class FakeGeminiSpeechServer : IAsyncDisposable
{
    public const string TranscriptionModel = "fake-stt";
    public const string TranslationModel = "fake-translate";
    public const string SpeechModel = "fake-tts";

    private readonly WebApplication _app;

    private FakeGeminiSpeechServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentDictionary<string, ConcurrentQueue<JsonNode>> Bodies { get; } = new();

    public ConcurrentQueue<string> ApiKeys { get; } = new();

    public ConcurrentDictionary<string, bool> FailingModels { get; } = new();

    public static async Task<FakeGeminiSpeechServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeGeminiSpeechServer(app);
        app.MapPost("/v1beta/models/{call}", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First();
        return server;
    }

    public Dictionary<string, string?> Settings(string apiKey = "test-key") => new()
    {
        ["Generation:Gemini:ApiKey"] = apiKey,
        ["Generation:Gemini:BaseUrl"] = BaseUrl,
        ["Generation:Gemini:HttpRetries"] = "0",
        ["Generation:VideoTools:TranscriptionModel"] = TranscriptionModel,
        ["Generation:VideoTools:TranslationModel"] = TranslationModel,
        ["Generation:VideoTools:SpeechModel"] = SpeechModel,
        ["Generation:VideoTools:X264Preset"] = "ultrafast",
        ["Generation:MaxAttempts"] = "1",
    };

    private async Task HandleAsync(HttpContext context, string call)
    {
        var model = call.Split(':')[0];
        ApiKeys.Enqueue(context.Request.Headers["x-goog-api-key"].ToString());
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        Bodies.GetOrAdd(model, _ => new ConcurrentQueue<JsonNode>()).Enqueue(body);
        if (!call.EndsWith(":generateContent", StringComparison.Ordinal) || FailingModels.ContainsKey(model))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = "Request contains an invalid argument.", status = "INVALID_ARGUMENT" } });
            return;
        }

        var answer = model switch
        {
            TranscriptionModel => Text(JsonSerializer.Serialize(new
            {
                language_code = "en",
                segments = new object[]
                {
                    new { start_seconds = 0.4, end_seconds = 1.6, text = "Hello from the fake transcriber." },
                    new { start_seconds = 2.0, end_seconds = 3.2, text = "Second line." },
                },
            })),
            TranslationModel => Text(JsonSerializer.Serialize(
                JsonSerializer.Deserialize<string[]>(body["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>())!.Select(line => $"(de) {line}"))),
            SpeechModel => Audio(),
            _ => Text("{}"),
        };
        await context.Response.WriteAsJsonAsync(answer);
    }

    private static JsonObject Text(string text) => Candidate(new JsonObject { ["text"] = text });

    /// <summary>Half a second of a 300 Hz tone as headerless 16-bit little-endian PCM at 24 kHz.</summary>
    private static JsonObject Audio()
    {
        var pcm = new byte[24000];
        for (var i = 0; i < pcm.Length / 2; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), (short)(Math.Sin(2 * Math.PI * 300 * i / 24000.0) * 8000));
        }

        return Candidate(new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "audio/L16;codec=pcm;rate=24000", ["data"] = Convert.ToBase64String(pcm) } });
    }

    private static JsonObject Candidate(JsonObject part) => new()
    {
        ["candidates"] = new JsonArray
        {
            new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray { part } }, ["finishReason"] = "STOP", ["index"] = 0 },
        },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 10, ["candidatesTokenCount"] = 10, ["totalTokenCount"] = 20 },
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
