using System.Text.Json;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Assistant;

/// <summary>A text model that turns an idea (with the conversation so far) into prompt variants.</summary>
internal interface IPromptWriter
{
    /// <summary>"openrouter" or "sandbox", recorded with each request.</summary>
    string Name { get; }

    /// <summary>The model's raw answer (the JSON text it was asked for) and what the call used; provider failures throw <c>ProviderFailureException</c>.</summary>
    Task<WriterAnswer> WriteAsync(AssistantConversation conversation, CancellationToken cancellationToken);
}

/// <summary>Earlier messages (oldest first) and the new idea, with its photo if any.</summary>
internal sealed record AssistantConversation(IReadOnlyList<AssistantMessage> History, string Idea, byte[]? Photo, string? PhotoMimeType);

internal sealed record AssistantMessage(bool FromUser, string Text);

internal sealed record WriterAnswer(string Content, int PromptTokens, int CompletionTokens, decimal CostUsd);

/// <summary>What every writer is told, and the one parser of its answers: exactly three variants with a title and a prompt.</summary>
internal static class PromptVariants
{
    public const int Count = 3;

    public const int MaxPromptLength = 2000;

    public const string Instruction =
        "You help people write prompts for an image generation model. The user describes an idea in plain words "
        + "(sometimes with a photo, sometimes refining your earlier suggestions). Answer with exactly three different, "
        + "concrete prompt variants: each names the subject, setting, style, lighting, composition and mood in one or two "
        + "sentences an image model understands, in the user's language. Give each a title of two to four words. "
        + "When the user refines, keep what they liked from the earlier variants and change what they asked for.";

    /// <summary>The three variants in <paramref name="content"/>, or null when it is not JSON of that shape (three non-empty prompts within the length limit).</summary>
    public static IReadOnlyList<PromptVariant>? Parse(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("variants", out var items)
                || items.ValueKind != JsonValueKind.Array
                || items.GetArrayLength() != Count)
            {
                return null;
            }

            var variants = new List<PromptVariant>();
            foreach (var item in items.EnumerateArray())
            {
                var title = Text(item, "title");
                var prompt = Text(item, "prompt");
                if (prompt.Length is 0 or > MaxPromptLength)
                {
                    return null;
                }

                variants.Add(new PromptVariant { Title = title.Length > 0 ? title : prompt.Split(',')[0], Prompt = prompt });
            }

            return variants;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The answer as stored and shown to the model again as its earlier message.</summary>
    public static string Serialize(IEnumerable<PromptVariant> variants) =>
        JsonSerializer.Serialize(new { variants = variants.Select(v => new { title = v.Title, prompt = v.Prompt }) });

    private static string Text(JsonElement item, string property) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : string.Empty;
}
