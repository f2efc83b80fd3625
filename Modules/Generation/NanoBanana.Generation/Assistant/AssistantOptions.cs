using System.ComponentModel.DataAnnotations;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Assistant;

/// <summary>Configuration section <c>Generation:Assistant</c>: the prompt assistant's text model (ADR 0170).</summary>
internal sealed class AssistantOptions : ProviderOptions
{
    public AssistantOptions() => RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>OpenRouter API key; empty: the offline Sandbox writes the variants (Offline mode) or the assistant is off (Production).</summary>
    public string ApiKey { get; set; } = string.Empty;

    public string BaseUrl { get; set; } = "https://openrouter.ai/api";

    /// <summary>An OpenRouter model id that honours <c>response_format: json_schema</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "google/gemini-2.5-flash-lite";

    [Range(64, 8192)]
    public int MaxTokens { get; set; } = 1000;

    /// <summary>Earlier messages of the conversation the model sees (an idea and an answer are two).</summary>
    [Range(0, 50)]
    public int ContextMessages { get; set; } = 10;

    /// <summary>Requests and answers are deleted this long after they were made.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>OpenRouter reports cost in US dollars; margins are kept in kopecks (1 credit = 1 ₽).</summary>
    [Range(1, 1_000_000)]
    public int KopecksPerUsd { get; set; } = 9000;

    public bool Configured => ApiKey.Length > 0;
}
