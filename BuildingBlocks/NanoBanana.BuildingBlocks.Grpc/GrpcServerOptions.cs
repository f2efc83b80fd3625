namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>Settings of the gRPC layer, section <c>Grpc</c>.</summary>
public sealed class GrpcServerOptions
{
    public const string Section = "Grpc";

    /// <summary>Largest request message accepted, after decompression; larger ones end with RESOURCE_EXHAUSTED.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Origins (e.g. the Mini App's) allowed to call gRPC-Web from a browser.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>The API key internal tools send as <c>authorization: Bearer &lt;key&gt;</c>; empty disables internal methods.</summary>
    public string InternalApiKey { get; set; } = "";

    /// <summary>Gzip responses to clients that list gzip in <c>grpc-accept-encoding</c>.</summary>
    public bool CompressResponses { get; set; }

    /// <summary>A clear message naming the bad setting, or null when the options are usable.</summary>
    public string? Validate()
    {
        if (MaxMessageBytes is < 1024 or > 256 * 1024 * 1024)
        {
            return $"{Section}:{nameof(MaxMessageBytes)} must be between 1024 and 268435456 (got {MaxMessageBytes}).";
        }

        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                return $"{Section}:{nameof(CorsOrigins)} entry '{origin}' is not an origin like https://app.example.com.";
            }
        }

        if (InternalApiKey.Length is > 0 and < 16)
        {
            return $"{Section}:{nameof(InternalApiKey)} must be at least 16 characters.";
        }

        return null;
    }
}
