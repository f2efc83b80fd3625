using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// Vertex AI with a service account: Imagen images through <c>:predict</c> (synchronous) and Veo
/// videos through <c>:predictLongRunning</c> + <c>:fetchPredictOperation</c> (resumable by operation name).
/// </summary>
internal sealed class VertexProvider(VertexOptions options, ServiceAccountTokens tokens, ProviderHttp http) : IGenerationProvider, IProviderModelList
{
    public Engine Engine => Engine.Vertex;

    public bool IsLongRunning(GenerationKind kind) => kind.IsVideo();

    public bool Configured => options.Configured;

    /// <summary>
    /// Model Garden's <c>GET /v1beta1/publishers/google/models</c> with every version: items
    /// <c>{"name":"publishers/google/models/{id}", "versionId"}</c>. A versioned id is listed as <c>{id}-{version}</c>
    /// (how the GA ids read, e.g. <c>veo-3.1-generate-001</c>) and <c>{id}@{version}</c>.
    /// </summary>
    public async Task<IReadOnlySet<string>> ListModelIdsAsync(CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        return await http.ListAllAsync(
            pageToken =>
            {
                var query = "pageSize=100&listAllVersions=true" + (pageToken.Length > 0 ? $"&pageToken={Uri.EscapeDataString(pageToken)}" : string.Empty);
                var message = new HttpRequestMessage(HttpMethod.Get, new Uri($"{BaseUrl}/v1beta1/publishers/google/models?{query}"));
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                message.Headers.Add("x-goog-user-project", options.Project);
                return message;
            },
            "publisherModels",
            PublisherModelIds,
            "publishers.models.list",
            cancellationToken);
    }

    internal static IEnumerable<string> PublisherModelIds(JsonElement model)
    {
        if (model.ValueKind != JsonValueKind.Object || !model.TryGetProperty("name", out var nameElement) || nameElement.GetString() is not { Length: > 0 } name)
        {
            yield break;
        }

        var id = name[(name.LastIndexOf('/') + 1)..];
        yield return id;
        if (model.TryGetProperty("versionId", out var version) && version.GetString() is { Length: > 0 } versionId && versionId != "default")
        {
            yield return $"{id}-{versionId}";
            yield return $"{id}@{versionId}";
        }
    }

    public async Task<ProviderOutcome> SubmitAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        if (!IsLongRunning(request.Kind))
        {
            using var prediction = await PostAsync(ModelUri(request.ProviderModelId, "predict"), ImagenBody(request), token, submission: true, "predict", cancellationToken);
            return new ProviderOutcome.Completed(ReadImagen(prediction.RootElement));
        }

        using var started = await PostAsync(ModelUri(request.ProviderModelId, "predictLongRunning"), VeoBody(request), token, submission: true, "predictLongRunning", cancellationToken);
        var name = started.RootElement.TryGetProperty("name", out var n) ? n.GetString() : null;
        return string.IsNullOrEmpty(name)
            ? throw new ProviderFailureException(FailureClass.Transient, "Veo start returned no operation name")
            : new ProviderOutcome.Pending(name);
    }

    public async Task<ProviderOutcome> PollAsync(ProviderRequest request, string operationId, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        // The poll path is the operation name with "/operations/…" cut off.
        var cut = operationId.IndexOf("/operations/", StringComparison.Ordinal);
        var modelPath = cut > 0 ? operationId[..cut] : $"projects/{options.Project}/locations/{options.Location}/publishers/google/models/{request.ProviderModelId}";
        var uri = new Uri($"{BaseUrl}/v1/{modelPath}:fetchPredictOperation");
        using var operation = await PostAsync(uri, new JsonObject { ["operationName"] = operationId }, token, submission: false, "fetchPredictOperation", cancellationToken);
        var root = operation.RootElement;
        if (!root.TryGetProperty("done", out var done) || !done.GetBoolean())
        {
            return new ProviderOutcome.Pending(operationId);
        }

        if (root.TryGetProperty("error", out var error))
        {
            var code = error.TryGetProperty("code", out var c) ? c.GetInt32() : 2;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            throw new ProviderFailureException(ClassifyOperationError(code, message), $"Veo operation failed: code {code} {ProviderHttp.Truncate(message)}") { OperationEnded = true };
        }

        return new ProviderOutcome.Completed(await ReadVideosAsync(root, token, cancellationToken));
    }

    internal static FailureClass ClassifyOperationError(int code, string message) => code switch
    {
        _ when ProviderHttp.MentionsSafety(message) => FailureClass.Safety,
        3 or 9 or 11 => FailureClass.InvalidInput, // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
        8 => FailureClass.Quota, // RESOURCE_EXHAUSTED
        4 or 10 or 13 or 14 => FailureClass.Transient, // DEADLINE_EXCEEDED, ABORTED, INTERNAL, UNAVAILABLE
        _ => FailureClass.Permanent,
    };

    private string BaseUrl => options.BaseUrl.Length > 0 ? options.BaseUrl.TrimEnd('/') : $"https://{options.Location}-aiplatform.googleapis.com";

    private Uri ModelUri(string model, string method) =>
        new($"{BaseUrl}/v1/projects/{options.Project}/locations/{options.Location}/publishers/google/models/{Uri.EscapeDataString(model)}:{method}");

    private Task<JsonDocument> PostAsync(Uri uri, JsonObject body, string token, bool submission, string operation, CancellationToken cancellationToken) =>
        http.SendForJsonAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return message;
            },
            submission,
            operation,
            cancellationToken);

    internal static JsonObject ImagenBody(ProviderRequest request)
    {
        var parameters = new JsonObject { ["sampleCount"] = request.ImageCount, ["addWatermark"] = true, ["personGeneration"] = "allow_adult" };
        if (request.AspectRatio.Length > 0)
        {
            parameters["aspectRatio"] = request.AspectRatio;
        }

        return new JsonObject { ["instances"] = new JsonArray { new JsonObject { ["prompt"] = request.Prompt } }, ["parameters"] = parameters };
    }

    internal static JsonObject VeoBody(ProviderRequest request)
    {
        var instance = new JsonObject { ["prompt"] = request.Prompt };
        if (request.Kind == GenerationKind.ReferencesToVideo)
        {
            // Asset references ("the subject of the clip"); Veo takes them without a first or last frame.
            instance["referenceImages"] = new JsonArray([.. request.References.Select(r => (JsonNode)new JsonObject { ["image"] = VeoImage(r), ["referenceType"] = "asset" })]);
        }
        else if (request.References.Count > 0)
        {
            instance["image"] = VeoImage(request.References[0]);
            if (request.LastFrame is { } lastFrame)
            {
                instance["lastFrame"] = VeoImage(lastFrame);
            }
        }

        return new JsonObject
        {
            ["instances"] = new JsonArray { instance },
            ["parameters"] = new JsonObject
            {
                ["aspectRatio"] = request.AspectRatio,
                ["durationSeconds"] = request.DurationSeconds,
                ["resolution"] = request.Resolution,
                ["generateAudio"] = request.Audio,
                ["sampleCount"] = 1,
                ["personGeneration"] = "allow_adult",
            },
        };
    }

    private static JsonObject VeoImage(ProviderImage image) =>
        new() { ["bytesBase64Encoded"] = Convert.ToBase64String(image.Data), ["mimeType"] = image.MimeType };

    internal static IReadOnlyList<GeneratedMedia> ReadImagen(JsonElement root)
    {
        var images = new List<GeneratedMedia>();
        string? filteredReason = null;
        if (root.TryGetProperty("predictions", out var predictions))
        {
            foreach (var prediction in predictions.EnumerateArray())
            {
                if (prediction.TryGetProperty("bytesBase64Encoded", out var bytes))
                {
                    var mime = prediction.TryGetProperty("mimeType", out var m) ? m.GetString() : null;
                    images.Add(new GeneratedMedia(mime ?? "image/png", Convert.FromBase64String(bytes.GetString() ?? string.Empty)));
                }
                else if (prediction.TryGetProperty("raiFilteredReason", out var reason))
                {
                    filteredReason = reason.GetString();
                }
            }
        }

        // Imagen leaves filtered images out of the list, so an empty list is a safety refusal.
        return images.Count > 0
            ? images
            : throw new ProviderFailureException(FailureClass.Safety, $"Imagen returned no image (filtered: {filteredReason ?? "unspecified"})");
    }

    private async Task<IReadOnlyList<GeneratedMedia>> ReadVideosAsync(JsonElement root, string token, CancellationToken cancellationToken)
    {
        var response = root.TryGetProperty("response", out var r) ? r : default;
        var filtered = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("raiMediaFilteredCount", out var count) ? count.GetInt32() : 0;
        var videos = new List<GeneratedMedia>();
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("videos", out var items))
        {
            foreach (var video in items.EnumerateArray())
            {
                var mime = video.TryGetProperty("mimeType", out var m) ? m.GetString() ?? "video/mp4" : "video/mp4";
                if (video.TryGetProperty("bytesBase64Encoded", out var bytes))
                {
                    videos.Add(new GeneratedMedia(mime, Convert.FromBase64String(bytes.GetString() ?? string.Empty)));
                }
                else if (video.TryGetProperty("gcsUri", out var gcs) && gcs.GetString() is { } gcsUri)
                {
                    videos.Add(new GeneratedMedia(mime, await DownloadGcsAsync(gcsUri, token, cancellationToken)));
                }
            }
        }

        if (videos.Count > 0)
        {
            return videos;
        }

        throw filtered > 0
            ? new ProviderFailureException(FailureClass.Safety, $"Veo withheld {filtered} video(s) by safety filters")
            : new ProviderFailureException(FailureClass.Empty, "Veo finished without a video");
    }

    private Task<byte[]> DownloadGcsAsync(string gcsUri, string token, CancellationToken cancellationToken)
    {
        // gs://bucket/path/to/object → the JSON API media download.
        var path = gcsUri["gs://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var uri = new Uri($"{options.StorageBaseUrl.TrimEnd('/')}/storage/v1/b/{Uri.EscapeDataString(path[..slash])}/o/{Uri.EscapeDataString(path[(slash + 1)..])}?alt=media");
        return http.DownloadAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, uri);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return message;
            },
            cancellationToken);
    }
}
