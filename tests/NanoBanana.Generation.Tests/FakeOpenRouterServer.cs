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
/// A loopback OpenRouter speaking <c>POST /api/v1/chat/completions</c>: the answer's JSON as a string in
/// <c>choices[0].message.content</c> and <c>usage{prompt_tokens, completion_tokens, total_tokens, cost}</c>.
/// By default it answers three valid variants naming the last user text; <see cref="Scripted"/> contents go first.
/// Every request body and bearer token is recorded.
/// </summary>
public sealed class FakeOpenRouterServer : IAsyncDisposable
{
    public const string Model = "fake/prompt-writer";
    public const int PromptTokens = 120;
    public const int CompletionTokens = 80;
    public const double Cost = 0.00012;

    private readonly WebApplication _app;

    private FakeOpenRouterServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<JsonNode> Bodies { get; } = new();

    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Message contents answered (in order) before the default valid one.</summary>
    public ConcurrentQueue<string> Scripted { get; } = new();

    /// <summary>Answered as HTTP errors (in order) before anything else.</summary>
    public ConcurrentQueue<int> Errors { get; } = new();

    public static async Task<FakeOpenRouterServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenRouterServer(app);
        app.MapPost("/api/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First();
        return server;
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["Generation:Assistant:ApiKey"] = "or-test-key",
        ["Generation:Assistant:BaseUrl"] = BaseUrl + "/api",
        ["Generation:Assistant:Model"] = Model,
        ["Generation:Assistant:HttpRetries"] = "0",
    };

    /// <summary>Three valid variants built from <paramref name="idea"/>.</summary>
    public static string Valid(string idea) => JsonSerializer.Serialize(new
    {
        variants = new[]
        {
            new { title = "Golden hour", prompt = $"{idea}, golden hour light, 35 mm photo" },
            new { title = "Neon noir", prompt = $"{idea}, neon-lit night, rain reflections, cinematic" },
            new { title = "Watercolour", prompt = $"{idea}, loose watercolour illustration, soft palette" },
        },
    });

    private async Task HandleAsync(HttpContext context)
    {
        Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        Bodies.Enqueue(body);
        if (Errors.TryDequeue(out var status))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = status, message = "Provider returned error" } });
            return;
        }

        var content = Scripted.TryDequeue(out var scripted) ? scripted : Valid(LastUserText(body));
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "gen-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["model"] = body["model"]!.GetValue<string>(),
            ["choices"] = new JsonArray
            {
                new JsonObject
                {
                    ["index"] = 0,
                    ["finish_reason"] = "stop",
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                },
            },
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = PromptTokens,
                ["completion_tokens"] = CompletionTokens,
                ["total_tokens"] = PromptTokens + CompletionTokens,
                ["cost"] = Cost,
                ["cost_details"] = new JsonObject { ["upstream_inference_cost"] = Cost },
            },
        });
    }

    /// <summary>The text part of the last message (content given as parts, as the adapter sends the new idea).</summary>
    public static string LastUserText(JsonNode body)
    {
        var content = body["messages"]!.AsArray()[^1]!["content"]!;
        return content is JsonArray parts ? parts.First(p => p!["type"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>() : content.GetValue<string>();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
