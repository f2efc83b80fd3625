namespace NanoBanana.BuildingBlocks.Security;

/// <summary>
/// The request metadata of the current call (gRPC headers, lower-case keys); scoped, filled by the
/// transport before dispatch so handlers and authenticators read it without knowing HTTP.
/// </summary>
public sealed class CallMetadata
{
    private readonly Dictionary<string, string> _entries = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Entries => _entries;

    /// <summary>The connection's peer address as the transport saw it (not a header, so a client cannot choose it).</summary>
    public string? RemoteAddress { get; set; }

    public string? Get(string key) => _entries.GetValueOrDefault(key);

    /// <summary>A binary entry (<c>-bin</c> suffix, base64 on the wire), or null when absent or not valid base64.</summary>
    public byte[]? GetBinary(string key)
    {
        if (!key.EndsWith("-bin", StringComparison.OrdinalIgnoreCase) || Get(key) is not { } encoded)
        {
            return null;
        }

        // gRPC allows unpadded base64 in -bin headers.
        var padded = encoded.Length % 4 == 0 ? encoded : encoded + new string('=', 4 - (encoded.Length % 4));
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    public void Set(string key, string value) => _entries[key] = value;
}
