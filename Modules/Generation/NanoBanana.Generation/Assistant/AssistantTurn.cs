namespace NanoBanana.Generation.Assistant;

/// <summary>
/// One request to the prompt assistant and its answer (two messages of the conversation), with what it used and
/// cost; deleted after <see cref="AssistantOptions.HistoryRetention"/>.
/// </summary>
internal sealed class AssistantTurn
{
    /// <summary>The row of <c>GetGenerationStats</c> that sums the assistant's requests.</summary>
    public const string StatsSlug = "prompt-assistant";

    /// <summary>Derived from (user, client request id): a repeated request finds its turn.</summary>
    public Guid Id { get; set; }

    public long UserId { get; set; }

    public string ClientRequestId { get; set; } = string.Empty;

    public string Idea { get; set; } = string.Empty;

    public bool WithPhoto { get; set; }

    /// <summary>The first turn of a conversation: earlier turns are not context for it or later ones.</summary>
    public bool StartsConversation { get; set; }

    public AssistantTurnStatus Status { get; set; }

    /// <summary>The three variants as JSON (<see cref="PromptVariants.Serialize"/>) once answered.</summary>
    public string? Answer { get; set; }

    /// <summary>"openrouter" or "sandbox", and the model asked.</summary>
    public string Writer { get; set; } = string.Empty;

    public string Model { get; set; } = string.Empty;

    public int Attempts { get; set; }

    /// <summary>Summed over every attempt (a malformed answer costs as much as a good one).</summary>
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public decimal ProviderCostUsd { get; set; }

    public long ProviderCostKopecks { get; set; }

    public long PriceCredits { get; set; }

    /// <summary>Empty when the request was free.</summary>
    public string HoldId { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

internal enum AssistantTurnStatus
{
    /// <summary>The model is being asked (or the Host died while asking: the hold then expires by itself).</summary>
    Asking = 1,
    Answered = 2,
    Failed = 3,
}
