using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Assistant;

/// <summary>
/// OpenRouter <c>chat/completions</c> with a strict <c>json_schema</c> response format (routed only to providers that
/// honour it), the photo as an <c>image_url</c> data URL, and the usage and cost OpenRouter returns with every answer.
/// </summary>
internal sealed class OpenRouterPromptWriter(AssistantOptions options, ProviderHttp http) : IPromptWriter
{
    public string Name => "openrouter";

    public async Task<WriterAnswer> WriteAsync(AssistantConversation conversation, CancellationToken cancellationToken)
    {
        var body = Body(conversation);
        using var answer = await http.SendForJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Post, options.BaseUrl.TrimEnd('/') + "/v1/chat/completions")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey) },
                Content = JsonContent.Create(body),
            },
            submission: true,
            "chat completion",
            cancellationToken);
        var root = answer.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderFailureException(FailureClass.Transient, "OpenRouter chat completion: the answer is not an object");
        }

        if (root.TryGetProperty("error", out var error))
        {
            // An error can also arrive with HTTP 200 (e.g. the upstream provider failed mid-way).
            var message = error.TryGetProperty("message", out var text) ? text.ToString() : error.ToString();
            var code = error.TryGetProperty("code", out var number) && number.TryGetInt32(out var value) ? value : 502;
            throw new ProviderFailureException(ProviderHttp.Classify((System.Net.HttpStatusCode)code, message), $"OpenRouter chat completion: {code} {ProviderHttp.Truncate(message)}");
        }

        var content = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("message", out var reply) && reply.TryGetProperty("content", out var contentElement) && contentElement.ValueKind == JsonValueKind.String
                ? contentElement.GetString()!
                : string.Empty;
        var (promptTokens, completionTokens, cost) = Usage(root);
        return new WriterAnswer(content, promptTokens, completionTokens, cost);
    }

    private JsonObject Body(AssistantConversation conversation)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = PromptVariants.Instruction } };
        foreach (var message in conversation.History)
        {
            messages.Add(new JsonObject { ["role"] = message.FromUser ? "user" : "assistant", ["content"] = message.Text });
        }

        var parts = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = conversation.Idea } };
        if (conversation.Photo is { } photo)
        {
            parts.Add(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = $"data:{conversation.PhotoMimeType};base64,{Convert.ToBase64String(photo)}" },
            });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = parts });
        return new JsonObject
        {
            ["model"] = options.Model,
            ["messages"] = messages,
            ["max_tokens"] = options.MaxTokens,
            ["stream"] = false,
            ["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "prompt_variants", ["strict"] = true, ["schema"] = Schema() },
            },
            ["provider"] = new JsonObject { ["require_parameters"] = true },
        };
    }

    private static JsonObject Schema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["variants"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = PromptVariants.Count,
                ["maxItems"] = PromptVariants.Count,
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["title"] = new JsonObject { ["type"] = "string" }, ["prompt"] = new JsonObject { ["type"] = "string" } },
                    ["required"] = new JsonArray { "title", "prompt" },
                    ["additionalProperties"] = false,
                },
            },
        },
        ["required"] = new JsonArray { "variants" },
        ["additionalProperties"] = false,
    };

    /// <summary><c>usage{prompt_tokens, completion_tokens, cost}</c>; cost is in OpenRouter credits (US dollars).</summary>
    private static (int PromptTokens, int CompletionTokens, decimal CostUsd) Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return (0, 0, 0m);
        }

        return (Int(usage, "prompt_tokens"), Int(usage, "completion_tokens"),
            usage.TryGetProperty("cost", out var cost) && cost.ValueKind == JsonValueKind.Number ? decimal.Parse(cost.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) : 0m);
    }

    private static int Int(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : 0;
}
