using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation;

internal enum GenerationMode
{
    /// <summary>Development and playground: the Sandbox stands in for every provider without credentials.</summary>
    Offline,

    /// <summary>Only models whose provider has credentials are offered.</summary>
    Production,
}

/// <summary>Configuration section <c>Generation</c>.</summary>
internal sealed class GenerationOptions
{
    public GenerationMode Mode { get; set; } = GenerationMode.Offline;

    /// <summary>Concurrent job steps per Host replica; 0 turns the worker off (an API-only replica).</summary>
    [Range(0, 256)]
    public int Workers { get; set; } = 8;

    [Range(1, 100)]
    public int MaxActiveJobsPerUser { get; set; } = 2;

    /// <summary>
    /// The head start in the queue per step of a plan's queue priority (ADR 0151): a PRO job (priority 1) is
    /// claimed before free jobs queued up to this long before it, never before older ones, so free jobs wait
    /// at most this many steps longer than they would without paid traffic.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan QueuePriorityStep { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ImageDeadline { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VideoDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a claimed job stays with its worker without a heartbeat; a dead worker's job is retaken after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Between two status checks of a long-running provider operation.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan OperationPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Job attempts for transient failures (provider down, overloaded); other failures are final at once.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reference images are deleted this long after upload; results are kept for <see cref="ResultRetention"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan InputRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Zero keeps results forever.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan ResultRetention { get; set; } = TimeSpan.Zero;

    public string MediaRoot { get; set; } = ".data/media";

    /// <summary>How often each replica asks configured providers whether they still list every active model's id (also once at start).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "30.00:00:00")]
    public TimeSpan ProviderModelCheckInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Where reference images are served to providers that take URLs (kie.ai); empty: such providers get no references.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    [ValidateObjectMembers]
    public GeminiOptions Gemini { get; set; } = new();

    [ValidateObjectMembers]
    public VertexOptions Vertex { get; set; } = new();

    [ValidateObjectMembers]
    public KieOptions Kie { get; set; } = new();

    [ValidateObjectMembers]
    public SandboxOptions Sandbox { get; set; } = new();

    [ValidateObjectMembers]
    public VideoToolsOptions VideoTools { get; set; } = new();

    [ValidateObjectMembers]
    public AssistantOptions Assistant { get; set; } = new();

    public TimeSpan DeadlineFor(GenerationKind kind) => kind.IsVideo() ? VideoDeadline : ImageDeadline;
}

/// <summary>Settings every provider adapter shares: timeouts, retries, breaker, limits.</summary>
internal class ProviderOptions
{
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    [Range(0, 10)]
    public int HttpRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan HttpRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Open the breaker when this share of calls fails within <see cref="BreakerWindow"/> (with at least 10 calls).</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerWindow { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Jobs running against this provider at once in one replica.</summary>
    [Range(1, 10000)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>New submissions per minute across all replicas; 0 = unlimited.</summary>
    [Range(0, 100000)]
    public int SubmitsPerMinute { get; set; }
}

internal sealed class GeminiOptions : ProviderOptions
{
    public string ApiKey { get; set; } = string.Empty;

    public string BaseUrl { get; set; } = "https://generativelanguage.googleapis.com";

    public bool Configured => ApiKey.Length > 0;
}

internal sealed class VertexOptions : ProviderOptions
{
    public VertexOptions() => SubmitsPerMinute = 10; // Veo: 10 requests/min per project.

    /// <summary>The service-account key file's JSON (or a path to it).</summary>
    public string ServiceAccount { get; set; } = string.Empty;

    public string Project { get; set; } = string.Empty;

    public string Location { get; set; } = "us-central1";

    /// <summary>Empty: https://{Location}-aiplatform.googleapis.com.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    public string TokenUrl { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>For Veo results delivered as gs:// URIs.</summary>
    public string StorageBaseUrl { get; set; } = "https://storage.googleapis.com";

    public bool Configured => ServiceAccount.Length > 0 && Project.Length > 0;
}

internal sealed class KieOptions : ProviderOptions
{
    public string ApiKey { get; set; } = string.Empty;

    public string BaseUrl { get; set; } = "https://api.kie.ai";

    public bool Configured => ApiKey.Length > 0;
}

internal sealed class SandboxOptions : ProviderOptions
{
    /// <summary>Simulated provider time for every job (prompt markers add more); zero in benchmarks.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(1);

    public string FfmpegPath { get; set; } = "ffmpeg";
}
