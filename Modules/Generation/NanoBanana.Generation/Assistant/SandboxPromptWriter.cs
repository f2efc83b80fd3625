using System.Text.Json;

namespace NanoBanana.Generation.Assistant;

/// <summary>
/// Offline stand-in for the text model: three variants in three styles built from the conversation's ideas (the
/// first idea plus every refinement since), so <c>./nb run</c> and the playground work with no keys. An idea with
/// <c>[sandbox:malformed]</c> gets prose instead of JSON (every attempt), to show the failure path offline.
/// </summary>
internal sealed class SandboxPromptWriter : IPromptWriter
{
    private static readonly (string Title, string Style)[] Styles =
    [
        ("Photo", "photorealistic photograph, natural light, 50 mm lens, shallow depth of field, fine detail"),
        ("Cinematic", "cinematic film still, dramatic rim lighting, wide anamorphic shot, moody colour grade"),
        ("Illustration", "detailed digital illustration, vibrant colours, soft shading, clean balanced composition"),
    ];

    public string Name => "sandbox";

    public const string MalformedMarker = "[sandbox:malformed]";

    public Task<WriterAnswer> WriteAsync(AssistantConversation conversation, CancellationToken cancellationToken)
    {
        if (conversation.Idea.Contains(MalformedMarker, StringComparison.Ordinal))
        {
            return Task.FromResult(new WriterAnswer("Here are some ideas: try a sunset.", conversation.Idea.Length / 4, 8, 0m));
        }

        var ideas = conversation.History.Where(m => m.FromUser).Select(m => m.Text).Append(conversation.Idea).Select(i => i.Trim().TrimEnd('.'));
        var subject = string.Join(", ", ideas);
        if (conversation.Photo is not null)
        {
            subject += ", based on the attached photo";
        }

        var content = JsonSerializer.Serialize(new { variants = Styles.Select(s => new { title = s.Title, prompt = $"{subject}, {s.Style}" }) });
        // Roughly four characters a token, so usage is recorded as for a real model; the Sandbox costs nothing.
        var promptTokens = (PromptVariants.Instruction.Length + conversation.History.Sum(m => m.Text.Length) + conversation.Idea.Length) / 4;
        return Task.FromResult(new WriterAnswer(content, promptTokens, content.Length / 4, 0m));
    }
}
