using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// Gemini API <c>generateContent</c> for Nano Banana / Nano Banana Pro (text and reference images in,
/// image parts out). Blocked prompts, safety finish reasons and answers without an image are failures.
/// </summary>
internal sealed class GeminiProvider(GeminiOptions options, ProviderHttp http) : IGenerationProvider, IProviderModelList
{
    private static readonly HashSet<string> SafetyReasons = new(StringComparer.Ordinal)
    {
        "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
        "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION",
    };

    public Engine Engine => Engine.Gemini;

    public bool IsLongRunning(GenerationKind kind) => false;

    public bool Configured => options.Configured;

    /// <summary><c>GET /v1beta/models</c>: items <c>{"name":"models/{id}", "baseModelId"}</c>.</summary>
    public Task<IReadOnlySet<string>> ListModelIdsAsync(CancellationToken cancellationToken) =>
        http.ListAllAsync(
            pageToken =>
            {
                var query = pageToken.Length > 0 ? $"pageSize=1000&pageToken={Uri.EscapeDataString(pageToken)}" : "pageSize=1000";
                var message = new HttpRequestMessage(HttpMethod.Get, new Uri($"{options.BaseUrl.TrimEnd('/')}/v1beta/models?{query}"));
                message.Headers.Add("x-goog-api-key", options.ApiKey);
                return message;
            },
            "models",
            model => Strings(model, "name").Select(name => name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name)
                .Concat(Strings(model, "baseModelId")),
            "models.list",
            cancellationToken);

    private static IEnumerable<string> Strings(JsonElement item, string property) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? [text]
            : [];

    public async Task<ProviderOutcome> SubmitAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        var body = BuildBody(request);
        var uri = new Uri($"{options.BaseUrl.TrimEnd('/')}/v1beta/models/{Uri.EscapeDataString(request.ProviderModelId)}:generateContent");
        using var document = await http.SendForJsonAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
                message.Headers.Add("x-goog-api-key", options.ApiKey);
                return message;
            },
            submission: true,
            "generateContent",
            cancellationToken);
        return new ProviderOutcome.Completed(ReadImages(document.RootElement));
    }

    public Task<ProviderOutcome> PollAsync(ProviderRequest request, string operationId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Gemini generateContent has no operations to poll.");

    internal static JsonObject BuildBody(ProviderRequest request)
    {
        var parts = new JsonArray { new JsonObject { ["text"] = request.Prompt } };
        foreach (var image in request.References)
        {
            parts.Add(new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = image.MimeType, ["data"] = Convert.ToBase64String(image.Data) } });
        }

        var imageConfig = new JsonObject();
        if (request.AspectRatio.Length > 0)
        {
            imageConfig["aspectRatio"] = request.AspectRatio;
        }

        // 1K is the default and the only size gemini-2.5-flash-image takes, so it is left out.
        if (request.Resolution.Length > 0 && request.Resolution != "1K")
        {
            imageConfig["imageSize"] = request.Resolution;
        }

        return new JsonObject
        {
            ["contents"] = new JsonArray { new JsonObject { ["role"] = "user", ["parts"] = parts } },
            ["generationConfig"] = new JsonObject
            {
                ["responseModalities"] = new JsonArray { "TEXT", "IMAGE" },
                ["imageConfig"] = imageConfig,
            },
        };
    }

    internal static IReadOnlyList<GeneratedMedia> ReadImages(JsonElement root)
    {
        try
        {
            if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out var blockReason))
            {
                throw new ProviderFailureException(FailureClass.Safety, $"Gemini blocked the prompt: {blockReason.GetString()}");
            }

            if (!root.TryGetProperty("candidates", out var candidates) || candidates.GetArrayLength() == 0)
            {
                throw new ProviderFailureException(FailureClass.Empty, "Gemini returned no candidates");
            }

            var candidate = candidates[0];
            var finishReason = candidate.TryGetProperty("finishReason", out var reason) ? reason.GetString() ?? string.Empty : string.Empty;
            var images = new List<GeneratedMedia>();
            if (candidate.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.TryGetProperty("inlineData", out var inline) || part.TryGetProperty("inline_data", out inline))
                    {
                        var mime = inline.TryGetProperty("mimeType", out var m) || inline.TryGetProperty("mime_type", out m) ? m.GetString() : null;
                        images.Add(new GeneratedMedia(mime ?? "image/png", Convert.FromBase64String(inline.GetProperty("data").GetString() ?? string.Empty)));
                    }
                }
            }

            if (SafetyReasons.Contains(finishReason))
            {
                throw new ProviderFailureException(FailureClass.Safety, $"Gemini finished with {finishReason}");
            }

            return images.Count > 0
                ? images
                : throw new ProviderFailureException(FailureClass.Empty, $"Gemini answered without an image (finishReason {finishReason})");
        }
        catch (Exception exception) when (exception is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new ProviderFailureException(FailureClass.Transient, "Gemini answer has an unexpected shape", exception);
        }
    }
}
