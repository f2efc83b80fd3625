using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// One loopback HTTP server speaking the REST shapes of Gemini (generateContent), Vertex AI (OAuth token,
/// Imagen :predict, Veo :predictLongRunning / :fetchPredictOperation, GCS media download) and kie.ai
/// (createTask / recordInfo / result file), and both providers' model lists. The prompt picks the behaviour (words like "blocked",
/// "http500", "malformed"), so one server serves every scenario; it counts what it received.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private readonly ConcurrentDictionary<string, string> _operationPrompts = new();

    private FakeProviderServer(WebApplication app, RSA serviceAccountKey)
    {
        _app = app;
        ServiceAccountKey = serviceAccountKey;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public RSA ServiceAccountKey { get; }

    /// <summary>Submissions (generateContent, predict, predictLongRunning, createTask) per prompt.</summary>
    public ConcurrentDictionary<string, int> Submissions { get; } = new();

    /// <summary>The last submission body per prompt, to check what an adapter put on the wire.</summary>
    public ConcurrentDictionary<string, JsonNode> SubmissionBodies { get; } = new();

    /// <summary>Every request's "METHOD path", in order of arrival.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private int _tokenExchanges;

    public int TokenExchanges => _tokenExchanges;

    /// <summary>Model ids the model lists leave out (Gemini <c>models.list</c>, Vertex publisher models), as if shut down.</summary>
    public ConcurrentDictionary<string, bool> UnlistedModelIds { get; } = new();

    /// <summary>Gemini API models (<c>models/{id}</c>): the seeded ones and some others.</summary>
    private static readonly string[] GeminiModels =
        ["gemini-3.5-flash", "gemini-3.1-flash-lite-image", "gemini-nano-banana-2.1", "gemini-3-pro-image", "gemini-3.8-flash-tts", "text-embedding-004", "veo-3.1-generate-preview"];

    private static readonly string[] GenerateContentOnly = ["generateContent"];

    /// <summary>Vertex publisher models with their version (GA ids read <c>{id}-{version}</c>; "default" is unversioned).</summary>
    private static readonly (string Id, string Version)[] VertexModels =
        [("gemini-3.5-flash", "default"), ("imagen-4.0-generate-001", "default"), ("veo-3.1-generate-001", "default"), ("veo-3.1-fast-generate", "001"), ("veo-3.1-lite-generate", "001")];

    /// <summary>How many status checks an operation needs before it is done.</summary>
    public int PollsUntilDone { get; set; } = 2;

    /// <summary>Set: every generateContent answers with this finish reason and no image (for fixed server-side prompts, e.g. try-on).</summary>
    public string? GeminiFinishReasonForAll { get; set; }

    public static byte[] TinyPng { get; } = PngEncoder.Encode(32, 16, new byte[32 * 16 * 3]);

    /// <summary>What a 4K request gets: 4096×4096 like Nano Banana Pro's 1:1 4K, about 15 MB (a photo's detail does not compress).</summary>
    public static Lazy<byte[]> Png4K { get; } = new(() =>
    {
        const int Side = 4096;
        var pixels = new byte[Side * Side * 3];
        new Random(4096).NextBytes(pixels.AsSpan(0, 1200 * Side * 3));
        return PngEncoder.Encode(Side, Side, pixels);
    });

    /// <summary>Bytes that stand in for an MP4 (the adapters do not decode videos).</summary>
    public static byte[] FakeMp4 { get; } = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2'];

    public string ServiceAccountJson => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["client_email"] = "generator@test-project.iam.gserviceaccount.com",
        ["private_key"] = ServiceAccountKey.ExportPkcs8PrivateKeyPem(),
    });

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(); // The Host's appsettings.json (copied next to the tests) declares Kestrel endpoints.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app, RSA.Create(2048));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First();
        return server;
    }

    public int SubmissionsOf(string prompt) => Submissions.GetValueOrDefault(prompt);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        Requests.Enqueue($"{context.Request.Method} {path}");
        string body;
        using (var reader = new StreamReader(context.Request.Body))
        {
            body = await reader.ReadToEndAsync();
        }

        if (path == "/token")
        {
            await TokenAsync(context, body);
        }
        else if (path == "/v1beta/models" && context.Request.Method == "GET")
        {
            await GeminiModelsAsync(context);
        }
        else if (path == "/v1beta1/publishers/google/models" && context.Request.Method == "GET")
        {
            await VertexModelsAsync(context);
        }
        else if (path.EndsWith(":generateContent", StringComparison.Ordinal))
        {
            await GeminiAsync(context, body);
        }
        else if (path.EndsWith(":predict", StringComparison.Ordinal))
        {
            await ImagenAsync(context, body);
        }
        else if (path.EndsWith(":predictLongRunning", StringComparison.Ordinal))
        {
            await VeoStartAsync(context, path, body);
        }
        else if (path.EndsWith(":fetchPredictOperation", StringComparison.Ordinal))
        {
            await VeoPollAsync(context, body);
        }
        else if (path.StartsWith("/storage/v1/b/", StringComparison.Ordinal))
        {
            await RequireBearerAsync(context);
            context.Response.ContentType = "video/mp4";
            await context.Response.Body.WriteAsync(FakeMp4);
        }
        else if (path == "/api/v1/jobs/createTask")
        {
            await KieCreateAsync(context, body);
        }
        else if (path == "/api/v1/jobs/recordInfo")
        {
            await KieRecordAsync(context);
        }
        else if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(TinyPng);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    /// <summary>Checks the JWT bearer assertion's RS256 signature with the service account's public key.</summary>
    private async Task TokenAsync(HttpContext context, string body)
    {
        var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var parts = form.GetValueOrDefault("assertion", string.Empty).Split('.');
        var valid = form.GetValueOrDefault("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer" && parts.Length == 3
            && ServiceAccountKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!valid)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_grant" });
            return;
        }

        Interlocked.Increment(ref _tokenExchanges);
        await context.Response.WriteAsJsonAsync(new { access_token = "ya29.fake", expires_in = 3600, token_type = "Bearer" });
    }

    private static async Task<bool> RequireBearerAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() == "Bearer ya29.fake")
        {
            return true;
        }

        context.Response.StatusCode = 401;
        await context.Response.WriteAsJsonAsync(new { error = new { code = 401, message = "Request had invalid authentication credentials.", status = "UNAUTHENTICATED" } });
        return false;
    }

    /// <summary>Behaviours shared by every submit endpoint; true when the response was written.</summary>
    private async Task<bool> CommonFailureAsync(HttpContext context, string prompt, string body)
    {
        SubmissionBodies[prompt] = JsonNode.Parse(body)!;
        var count = Submissions.AddOrUpdate(prompt, 1, (_, n) => n + 1);
        if (prompt.Contains("slow", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
        }

        if (prompt.Contains("http429once", StringComparison.Ordinal) && count == 1 || prompt.Contains("http429always", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 429;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 429, message = "Resource has been exhausted (e.g. check quota).", status = "RESOURCE_EXHAUSTED" } });
            return true;
        }

        if (prompt.Contains("http500", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 500, message = "Internal error encountered.", status = "INTERNAL" } });
            return true;
        }

        if (prompt.Contains("http400", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = "Unable to process input image.", status = "INVALID_ARGUMENT" } });
            return true;
        }

        if (prompt.Contains("malformed", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"candidates\": [ {\"content\": ");
            return true;
        }

        return false;
    }

    private async Task GeminiAsync(HttpContext context, string body)
    {
        if (context.Request.Headers["x-goog-api-key"] != "gemini-key")
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 403, message = "API key not valid.", status = "PERMISSION_DENIED" } });
            return;
        }

        var request = JsonNode.Parse(body)!;
        var prompt = request["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>();
        if (await CommonFailureAsync(context, prompt, body))
        {
            return;
        }

        object response = prompt switch
        {
            _ when GeminiFinishReasonForAll is { } forced => Candidate(forced, withImage: false),
            _ when prompt.Contains("blocked", StringComparison.Ordinal) => new { promptFeedback = new { blockReason = "PROHIBITED_CONTENT" } },
            _ when prompt.Contains("imagesafety", StringComparison.Ordinal) => Candidate("IMAGE_SAFETY", withImage: false),
            _ when prompt.Contains("noimage", StringComparison.Ordinal) => Candidate("NO_IMAGE", withImage: false),
            _ when prompt.Contains("textonly", StringComparison.Ordinal) => Candidate("STOP", withImage: false),
            _ when request["generationConfig"]?["imageConfig"]?["imageSize"]?.GetValue<string>() == "4K" => Candidate("STOP", withImage: true, Png4K.Value),
            _ => Candidate("STOP", withImage: true),
        };
        await context.Response.WriteAsJsonAsync(response);
    }

    private static object Candidate(string finishReason, bool withImage, byte[]? image = null) => new
    {
        candidates = new[]
        {
            new
            {
                content = new
                {
                    role = "model",
                    parts = withImage
                        ? new object[] { new { text = "Here you go." }, new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(image ?? TinyPng) } } }
                        : [new { text = "I can't make that image." }],
                },
                finishReason,
            },
        },
    };

    /// <summary>Gemini <c>models.list</c>, two models per page so the page tokens are followed.</summary>
    private async Task GeminiModelsAsync(HttpContext context)
    {
        if (context.Request.Headers["x-goog-api-key"] != "gemini-key")
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 403, message = "API key not valid.", status = "PERMISSION_DENIED" } });
            return;
        }

        var listed = GeminiModels.Where(id => !UnlistedModelIds.ContainsKey(id))
            .Select(id => (object)new { name = $"models/{id}", baseModelId = id, displayName = id, supportedGenerationMethods = GenerateContentOnly })
            .ToList();
        await WritePageAsync(context, "models", listed);
    }

    private async Task VertexModelsAsync(HttpContext context)
    {
        if (!await RequireBearerAsync(context))
        {
            return;
        }

        var listed = VertexModels
            .Where(m => !UnlistedModelIds.ContainsKey(m.Id) && !UnlistedModelIds.ContainsKey($"{m.Id}-{m.Version}"))
            .Select(m => (object)new { name = $"publishers/google/models/{m.Id}", versionId = m.Version, openSourceCategory = "PROPRIETARY" })
            .ToList();
        await WritePageAsync(context, "publisherModels", listed);
    }

    private static async Task WritePageAsync(HttpContext context, string itemsProperty, List<object> items)
    {
        const int PageSize = 2;
        var start = int.TryParse(context.Request.Query["pageToken"], out var token) ? token : 0;
        var page = new Dictionary<string, object> { [itemsProperty] = items.Skip(start).Take(PageSize).ToList() };
        if (start + PageSize < items.Count)
        {
            page["nextPageToken"] = (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(page);
    }

    private async Task ImagenAsync(HttpContext context, string body)
    {
        if (!await RequireBearerAsync(context))
        {
            return;
        }

        var request = JsonNode.Parse(body)!;
        var prompt = request["instances"]![0]!["prompt"]!.GetValue<string>();
        if (await CommonFailureAsync(context, prompt, body))
        {
            return;
        }

        // Imagen answers sampleCount images (1–4) and refuses any other count, as Vertex does.
        var samples = request["parameters"]?["sampleCount"]?.GetValue<int>() ?? 1;
        if (samples is < 1 or > 4)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = "sampleCount must be 1 to 4", status = "INVALID_ARGUMENT" } });
            return;
        }

        // "withhold N": the safety filter took N of the images, which Imagen simply leaves out of the list.
        var withheld = prompt.IndexOf("withhold ", StringComparison.Ordinal) is var at and >= 0 ? prompt[at + "withhold ".Length] - '0' : 0;
        object response = prompt.Contains("filtered", StringComparison.Ordinal)
            ? new { predictions = new[] { new { raiFilteredReason = "Your current safety filter threshold filtered out the generated image." } } }
            : new { predictions = Enumerable.Range(0, samples - withheld).Select(_ => new { bytesBase64Encoded = Convert.ToBase64String(TinyPng), mimeType = "image/png" }).ToArray() };
        await context.Response.WriteAsJsonAsync(response);
    }

    private async Task VeoStartAsync(HttpContext context, string path, string body)
    {
        if (!await RequireBearerAsync(context))
        {
            return;
        }

        var request = JsonNode.Parse(body)!;
        var prompt = request["instances"]![0]!["prompt"]!.GetValue<string>();
        if (await CommonFailureAsync(context, prompt, body))
        {
            return;
        }

        if (VeoRefusal(request) is { } refusal)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = refusal, status = "INVALID_ARGUMENT" } });
            return;
        }

        var model = path[(path.IndexOf("/projects/", StringComparison.Ordinal) + 1)..path.LastIndexOf(':')];
        var name = $"{model}/operations/{Guid.NewGuid():N}";
        _operationPrompts[name] = prompt;
        await context.Response.WriteAsJsonAsync(new { name });
    }

    /// <summary>The combinations Veo 3.1 documents as refused (external-apis-more.md §6), answered like Vertex does.</summary>
    private static string? VeoRefusal(JsonNode request)
    {
        var instance = request["instances"]![0]!;
        var parameters = request["parameters"]!;
        var seconds = parameters["durationSeconds"]?.GetValue<int>() ?? 8;
        var resolution = parameters["resolution"]?.GetValue<string>() ?? "720p";
        var references = instance["referenceImages"]?.AsArray();
        return (instance, references) switch
        {
            _ when seconds is not (4 or 6 or 8) => "durationSeconds must be 4, 6 or 8",
            _ when resolution is "1080p" or "4k" && seconds != 8 => "1080p and 4k need durationSeconds 8",
            ({ } i, _) when i["lastFrame"] is not null && i["image"] is null => "lastFrame must be used in combination with image",
            (_, { } refs) when refs.Count is < 1 or > 3 => "referenceImages takes 1 to 3 images",
            (_, { } refs) when refs.Any(r => r!["referenceType"]?.GetValue<string>() != "asset" || r["image"]?["bytesBase64Encoded"] is null) => "referenceImages need an image and referenceType asset",
            ({ } i, { }) when i["image"] is not null || i["lastFrame"] is not null => "referenceImages cannot be combined with image or lastFrame",
            (_, { }) when seconds != 8 => "durationSeconds must be 8 with referenceImages",
            _ => null,
        };
    }

    private async Task VeoPollAsync(HttpContext context, string body)
    {
        if (!await RequireBearerAsync(context))
        {
            return;
        }

        var name = JsonNode.Parse(body)!["operationName"]!.GetValue<string>();
        if (!_operationPrompts.TryGetValue(name, out var prompt))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 404, message = "Operation not found.", status = "NOT_FOUND" } });
            return;
        }

        if (prompt.Contains("pollfails", StringComparison.Ordinal) && _polls.GetValueOrDefault(name) == 0)
        {
            _polls[name] = 1;
            context.Response.StatusCode = 503;
            return;
        }

        if (_polls.AddOrUpdate(name, 1, (_, n) => n + 1) < PollsUntilDone || prompt.Contains("neverdone", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new { name, done = false });
            return;
        }

        object response = prompt switch
        {
            _ when prompt.Contains("operror", StringComparison.Ordinal) =>
                new { name, done = true, error = new { code = 13, message = "Internal error while generating the video." } },
            _ when prompt.Contains("opsafety", StringComparison.Ordinal) =>
                new { name, done = true, error = new { code = 3, message = "The prompt could not be submitted: it violates Vertex AI's usage guidelines (Responsible AI)." } },
            _ when prompt.Contains("raifiltered", StringComparison.Ordinal) =>
                new { name, done = true, response = (object)new { raiMediaFilteredCount = 1, raiMediaFilteredReasons = new[] { "Unable to generate videos due to safety filters." } } },
            _ when prompt.Contains("novideo", StringComparison.Ordinal) =>
                new { name, done = true, response = (object)new { raiMediaFilteredCount = 0 } },
            _ when prompt.Contains("gcs", StringComparison.Ordinal) =>
                new { name, done = true, response = (object)new { videos = new[] { new { gcsUri = "gs://bucket/out/sample_0.mp4", mimeType = "video/mp4" } } } },
            _ => new { name, done = true, response = (object)new { videos = new[] { new { bytesBase64Encoded = Convert.ToBase64String(FakeMp4), mimeType = "video/mp4" } } } },
        };
        await context.Response.WriteAsJsonAsync(response);
    }

    private async Task KieCreateAsync(HttpContext context, string body)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer kie-key")
        {
            await context.Response.WriteAsJsonAsync(new { code = 401, msg = "You do not have access permissions" });
            return;
        }

        var prompt = JsonNode.Parse(body)!["input"]!["prompt"]!.GetValue<string>();
        if (await CommonFailureAsync(context, prompt, body))
        {
            return;
        }

        if (prompt.Contains("nocredits", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new { code = 402, msg = "Credits insufficient" });
            return;
        }

        var taskId = Guid.NewGuid().ToString("N");
        _operationPrompts[taskId] = prompt;
        await context.Response.WriteAsJsonAsync(new { code = 200, msg = "success", data = new { taskId } });
    }

    private async Task KieRecordAsync(HttpContext context)
    {
        var taskId = context.Request.Query["taskId"].ToString();
        if (!_operationPrompts.TryGetValue(taskId, out var prompt))
        {
            await context.Response.WriteAsJsonAsync(new { code = 404, msg = "task not found" });
            return;
        }

        var polls = _polls.AddOrUpdate(taskId, 1, (_, n) => n + 1);
        string state = polls < PollsUntilDone ? "generating" : prompt.Contains("taskfail", StringComparison.Ordinal) || prompt.Contains("tasksafety", StringComparison.Ordinal) ? "fail" : "success";
        var data = new Dictionary<string, object?>
        {
            ["taskId"] = taskId,
            ["model"] = "google/nano-banana",
            ["state"] = state,
            ["param"] = "{}",
            ["resultJson"] = state == "success" ? JsonSerializer.Serialize(new { resultUrls = new[] { $"{BaseUrl}/files/{taskId}.png" } }) : string.Empty,
            ["failCode"] = state == "fail" ? "501" : string.Empty,
            ["failMsg"] = prompt.Contains("tasksafety", StringComparison.Ordinal) ? "The content was flagged as sensitive (NSFW)." : state == "fail" ? "Generation failed" : string.Empty,
        };
        await context.Response.WriteAsJsonAsync(new { code = 200, msg = "success", data });
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        ServiceAccountKey.Dispose();
    }
}
