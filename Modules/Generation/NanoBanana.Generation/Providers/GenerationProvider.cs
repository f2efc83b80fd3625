using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>What an adapter needs to run one job.</summary>
internal sealed record ProviderRequest(
    Guid JobId,
    GenerationKind Kind,
    string ProviderModelId,
    string Prompt,
    string AspectRatio,
    int DurationSeconds,
    string Resolution,
    bool Audio,
    IReadOnlyList<ProviderImage> References,
    int Attempt)
{
    /// <summary>Images to make in this one request (Imagen's sampleCount).</summary>
    public int ImageCount { get; init; } = 1;

    /// <summary>Image-to-video: the clip's last frame (the first frame is <see cref="References"/>[0]).</summary>
    public ProviderImage? LastFrame { get; init; }

    /// <summary>Try-on: where the garment (<see cref="References"/>[1]) goes on the person ([0]); the prompt already says it.</summary>
    public TryOnZone TryOnZone { get; init; }
}

/// <summary>A reference image: its bytes, and a URL for providers that only take URLs (null when none is published).</summary>
internal sealed record ProviderImage(string MimeType, byte[] Data, string? PublicUrl);

/// <summary>A result file; dimensions and length when the producer knows them (otherwise they are read from the bytes or the request).</summary>
internal sealed record GeneratedMedia(string MimeType, byte[] Data)
{
    public int Width { get; init; }

    public int Height { get; init; }

    public int DurationSeconds { get; init; }
}

/// <summary>The provider answered: results now, or an operation to poll by id.</summary>
internal abstract record ProviderOutcome
{
    private ProviderOutcome()
    {
    }

    internal sealed record Completed(IReadOnlyList<GeneratedMedia> Media) : ProviderOutcome;

    internal sealed record Pending(string OperationId) : ProviderOutcome;
}

/// <summary>A classified provider failure; the class decides retry, refund and the user's message.</summary>
internal sealed class ProviderFailureException(FailureClass failureClass, string detail, Exception? inner = null)
    : Exception(detail, inner)
{
    public FailureClass FailureClass { get; } = failureClass;

    /// <summary>
    /// The provider's operation itself ended in failure (as opposed to one status check failing):
    /// a transient one is retried by submitting again; a failed check just checks again later.
    /// </summary>
    public bool OperationEnded { get; init; }

    /// <summary>The user-facing reason when the default one for <see cref="FailureClass"/> would say too little (a video-tools step).</summary>
    public LocalizedText? Reason { get; init; }

    /// <summary>A short machine-readable cause the reason is chosen by (e.g. "no_speech").</summary>
    public string? Cause { get; init; }
}

/// <summary>One provider's adapter. Thread-safe singletons.</summary>
internal interface IGenerationProvider
{
    Engine Engine { get; }

    /// <summary>Whether results of this kind come back through an operation id (Veo, kie.ai) rather than in the submit response.</summary>
    bool IsLongRunning(GenerationKind kind);

    /// <summary>Sends the job to the provider. Throws <see cref="ProviderFailureException"/> for classified failures.</summary>
    Task<ProviderOutcome> SubmitAsync(ProviderRequest request, CancellationToken cancellationToken);

    /// <summary>Checks an operation started by <see cref="SubmitAsync"/> (possibly in a process that has since died).</summary>
    Task<ProviderOutcome> PollAsync(ProviderRequest request, string operationId, CancellationToken cancellationToken);
}

/// <summary>A provider that publishes the model ids it serves (Gemini API <c>models.list</c>, Vertex publisher models).</summary>
internal interface IProviderModelList
{
    Engine Engine { get; }

    /// <summary>Whether this deployment has credentials for the provider (only then is its list asked for).</summary>
    bool Configured { get; }

    /// <summary>Every model id the provider lists now. Throws <see cref="ProviderFailureException"/> when the list cannot be read.</summary>
    Task<IReadOnlySet<string>> ListModelIdsAsync(CancellationToken cancellationToken);
}
