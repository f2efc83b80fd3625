using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// kie.ai: <c>createTask</c> returns a task id, <c>recordInfo</c> is polled until success or fail,
/// and the result URLs (valid ~24 h) are downloaded at once. References must be public URLs.
/// </summary>
internal sealed class KieProvider(KieOptions options, ProviderHttp http) : IGenerationProvider
{
    public Engine Engine => Engine.Kie;

    public bool IsLongRunning(GenerationKind kind) => true;

    public async Task<ProviderOutcome> SubmitAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["prompt"] = request.Prompt };
        if (request.References.Count > 0)
        {
            var urls = new JsonArray();
            foreach (var image in request.References)
            {
                urls.Add(image.PublicUrl ?? throw new ProviderFailureException(FailureClass.Permanent, "kie.ai needs public reference URLs (Generation:PublicBaseUrl is not set)"));
            }

            input["image_urls"] = urls;
        }

        if (request.AspectRatio.Length > 0)
        {
            input["aspect_ratio"] = request.AspectRatio;
        }

        if (request.Resolution.Length > 0)
        {
            input["resolution"] = request.Resolution;
        }

        var body = new JsonObject { ["model"] = request.ProviderModelId, ["input"] = input };
        using var document = await http.SendForJsonAsync(
            () => Authorized(new HttpRequestMessage(HttpMethod.Post, $"{options.BaseUrl.TrimEnd('/')}/api/v1/jobs/createTask") { Content = JsonContent.Create(body) }),
            submission: true,
            "createTask",
            cancellationToken);
        var data = Envelope(document.RootElement, "createTask");
        var taskId = data.TryGetProperty("taskId", out var id) ? id.GetString() : null;
        return string.IsNullOrEmpty(taskId)
            ? throw new ProviderFailureException(FailureClass.Transient, "kie.ai createTask returned no taskId")
            : new ProviderOutcome.Pending(taskId);
    }

    public async Task<ProviderOutcome> PollAsync(ProviderRequest request, string operationId, CancellationToken cancellationToken)
    {
        using var document = await http.SendForJsonAsync(
            () => Authorized(new HttpRequestMessage(HttpMethod.Get, $"{options.BaseUrl.TrimEnd('/')}/api/v1/jobs/recordInfo?taskId={Uri.EscapeDataString(operationId)}")),
            submission: false,
            "recordInfo",
            cancellationToken);
        var data = Envelope(document.RootElement, "recordInfo");
        var state = data.TryGetProperty("state", out var s) ? s.GetString() : null;
        switch (state)
        {
            case "success":
                var urls = ResultUrls(data);
                if (urls.Count == 0)
                {
                    throw new ProviderFailureException(FailureClass.Empty, "kie.ai task succeeded without result URLs");
                }

                var media = new List<GeneratedMedia>();
                foreach (var url in urls)
                {
                    var bytes = await http.DownloadAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
                    media.Add(new GeneratedMedia(request.Kind.IsVideo() ? "video/mp4" : "image/png", bytes));
                }

                return new ProviderOutcome.Completed(media);
            case "fail":
                var code = data.TryGetProperty("failCode", out var c) ? c.ToString() : string.Empty;
                var message = data.TryGetProperty("failMsg", out var m) ? m.GetString() ?? string.Empty : string.Empty;
                throw new ProviderFailureException(
                    ProviderHttp.MentionsSafety(message) ? FailureClass.Safety : ClassifyCode(int.TryParse(code, out var n) ? n : 501),
                    $"kie.ai task failed: {code} {ProviderHttp.Truncate(message)}") { OperationEnded = true };
            case "waiting" or "queuing" or "generating":
                return new ProviderOutcome.Pending(operationId);
            default:
                throw new ProviderFailureException(FailureClass.Transient, $"kie.ai task in unknown state '{state}'");
        }
    }

    /// <summary>kie.ai answers HTTP 200 with its own <c>code</c>; documented codes: 401, 402, 404, 422, 429, 455, 500, 501, 505.</summary>
    internal static FailureClass ClassifyCode(int code) => code switch
    {
        402 => FailureClass.Quota,
        422 => FailureClass.InvalidInput,
        429 or 455 or 500 => FailureClass.Transient,
        _ => FailureClass.Permanent,
    };

    private static JsonElement Envelope(JsonElement root, string operation)
    {
        var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        if (code != 200)
        {
            var message = root.TryGetProperty("msg", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            throw new ProviderFailureException(
                ProviderHttp.MentionsSafety(message) ? FailureClass.Safety : ClassifyCode(code),
                $"kie.ai {operation}: code {code} {ProviderHttp.Truncate(message)}");
        }

        return root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data
            : throw new ProviderFailureException(FailureClass.Transient, $"kie.ai {operation}: no data");
    }

    private static List<string> ResultUrls(JsonElement data)
    {
        if (!data.TryGetProperty("resultJson", out var resultJson) || resultJson.GetString() is not { Length: > 0 } text)
        {
            return [];
        }

        try
        {
            using var result = JsonDocument.Parse(text);
            return result.RootElement.TryGetProperty("resultUrls", out var urls)
                ? [.. urls.EnumerateArray().Select(u => u.GetString()).OfType<string>()]
                : [];
        }
        catch (JsonException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, "kie.ai resultJson is malformed", exception);
        }
    }

    private HttpRequestMessage Authorized(HttpRequestMessage message)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        return message;
    }
}
