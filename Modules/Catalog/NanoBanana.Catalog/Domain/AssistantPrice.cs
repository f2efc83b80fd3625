namespace NanoBanana.Catalog.Domain;

/// <summary>The price of one prompt-assistant request (ADR 0170); one row, <see cref="PromptAssistant"/>.</summary>
internal sealed class AssistantPrice
{
    public const string PromptAssistant = "prompt_assistant";

    public string Feature { get; set; } = PromptAssistant;

    public long CreditsPerRequest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
