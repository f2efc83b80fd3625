using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Domain;

/// <summary>
/// One generation request; its row is also the queue entry. Claimed by a worker with a lease
/// (<see cref="LeaseToken"/> fences every write), resumed by <see cref="OperationId"/> after a crash.
/// </summary>
internal sealed class GenerationJob
{
    public Guid Id { get; set; }

    public long UserId { get; set; }

    public string ClientRequestId { get; set; } = string.Empty;

    public GenerationKind Kind { get; set; }

    public string ModelSlug { get; set; } = string.Empty;

    /// <summary>The adapter that runs the job (a Catalog provider; Sandbox when it stands in), fixed at creation.</summary>
    public Engine Engine { get; set; }

    public string ProviderModelId { get; set; } = string.Empty;

    public string Prompt { get; set; } = string.Empty;

    public string AspectRatio { get; set; } = string.Empty;

    public int DurationSeconds { get; set; }

    public string Resolution { get; set; } = string.Empty;

    public bool Audio { get; set; }

    /// <summary>Images asked for in one provider request (Imagen's sampleCount); the price covers all of them.</summary>
    public int ImageCount { get; set; } = 1;

    /// <summary>Image-to-video: the input with the highest ordinal is the clip's last frame, not a first frame.</summary>
    public bool LastFrame { get; set; }

    /// <summary>Try-on: where the garment (the second input) goes on the person (the first input).</summary>
    public TryOnZone TryOnZone { get; set; }

    public long PriceCredits { get; set; }

    /// <summary>
    /// Set when the job succeeds: what its hold is captured for. Below <see cref="PriceCredits"/> when the provider
    /// delivered fewer images than <see cref="ImageCount"/> (the rest of the hold is released).
    /// </summary>
    public long? ChargedCredits { get; set; }

    public long ProviderCostKopecks { get; set; }

    public string HoldId { get; set; } = string.Empty;

    public JobStatus Status { get; set; }

    public int Attempts { get; set; }

    public Guid? LeaseToken { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Set just before a provider submission; still set after a crash means the outcome of that submission is unknown.</summary>
    public DateTimeOffset? SubmittingAt { get; set; }

    public DateTimeOffset? FirstSubmitAt { get; set; }

    public string? OperationId { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>✏️ Edit: the user's earlier job whose result this one edits (ADR 0171); null for every other job.</summary>
    public Guid? ParentJobId { get; set; }

    /// <summary>What only a <see cref="GenerationKind.VideoTools"/> job has (its own table); null for other kinds or when not loaded.</summary>
    public VideoToolsJob? VideoTools { get; set; }

    public FailureClass FailureClass { get; set; }

    public string? FailureReasonRu { get; set; }

    public string? FailureReasonEn { get; set; }

    /// <summary>Provider detail for operators; never shown to users.</summary>
    public string? FailureDetail { get; set; }

    /// <summary>The hold has been captured (success) or released (anything else).</summary>
    public bool Settled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public DateTimeOffset DeadlineAt { get; set; }

    public List<JobMedia> Media { get; set; } = [];

    /// <summary>The reference images it was started with; loaded where a provider request is built (<c>JobProcessor</c>), empty elsewhere.</summary>
    public List<JobInput> Inputs { get; set; } = [];

    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;

    public bool IsVideo => Kind.IsVideo();
}

/// <summary>A stored result file.</summary>
internal sealed class JobMedia
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    public int Ordinal { get; set; }

    public string MimeType { get; set; } = string.Empty;

    public long SizeBytes { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public int DurationSeconds { get; set; }

    public string StorageKey { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A reference image uploaded with the request; deleted after the retention period.</summary>
internal sealed class JobInput
{
    public Guid JobId { get; set; }

    public int Ordinal { get; set; }

    public string MimeType { get; set; } = string.Empty;

    public int Width { get; set; }

    public int Height { get; set; }

    public long SizeBytes { get; set; }

    public string StorageKey { get; set; } = string.Empty;

    /// <summary>Unguessable; lets URL-only providers (kie.ai) fetch the image without a session.</summary>
    public string AccessToken { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>Which adapter runs a job. Values equal the Catalog's Provider enum.</summary>
internal enum Engine
{
    Gemini = 1,
    Vertex = 2,
    Kie = 3,
    Sandbox = 4,
}
