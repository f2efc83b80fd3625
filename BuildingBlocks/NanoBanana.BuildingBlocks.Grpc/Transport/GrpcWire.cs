using System.Globalization;
using System.Text;

namespace NanoBanana.BuildingBlocks.Grpc.Transport;

/// <summary>How a call is carried: native gRPC over HTTP/2, or gRPC-Web in binary or base64 text.</summary>
public enum GrpcWireMode
{
    Native,
    Web,
    WebText,
}

/// <summary>Wire-format helpers from the public gRPC HTTP/2 and gRPC-Web protocol documents.</summary>
internal static class GrpcWire
{
    public const string GrpcContentType = "application/grpc";
    public const string WebContentType = "application/grpc-web+proto";
    public const string WebTextContentType = "application/grpc-web-text+proto";
    public const string AcceptedEncodings = "identity,gzip";

    public enum ContentTypeMatch
    {
        /// <summary>Not a gRPC request at all; left to the rest of the pipeline.</summary>
        NotGrpc,

        /// <summary>A gRPC content type with a codec we do not speak (e.g. <c>+json</c>): HTTP 415.</summary>
        Unsupported,
        Supported,
    }

    /// <summary>Matches in the order text, web, native because each name is a prefix of the previous.</summary>
    public static ContentTypeMatch MatchContentType(string? contentType, out GrpcWireMode mode)
    {
        mode = GrpcWireMode.Native;
        if (contentType is null)
        {
            return ContentTypeMatch.NotGrpc;
        }

        string rest;
        if (StartsWith(contentType, "application/grpc-web-text", out rest))
        {
            mode = GrpcWireMode.WebText;
        }
        else if (StartsWith(contentType, "application/grpc-web", out rest))
        {
            mode = GrpcWireMode.Web;
        }
        else if (StartsWith(contentType, GrpcContentType, out rest))
        {
            mode = GrpcWireMode.Native;
        }
        else
        {
            return ContentTypeMatch.NotGrpc;
        }

        var codec = rest.Split(';', 2)[0].Trim();
        return codec.Length == 0 || codec.Equals("+proto", StringComparison.OrdinalIgnoreCase)
            ? ContentTypeMatch.Supported
            : codec.StartsWith('+') ? ContentTypeMatch.Unsupported : ContentTypeMatch.NotGrpc;
    }

    public static string ResponseContentType(GrpcWireMode mode) => mode switch
    {
        GrpcWireMode.Web => WebContentType,
        GrpcWireMode.WebText => WebTextContentType,
        _ => GrpcContentType,
    };

    /// <summary><c>grpc-timeout</c>: at most 8 digits and a unit (H M S m u n); null when absent or malformed.</summary>
    public static TimeSpan? ParseTimeout(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length is < 2 or > 9)
        {
            return null;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        double? milliseconds = value[^1] switch
        {
            'H' => amount * 3_600_000d,
            'M' => amount * 60_000d,
            'S' => amount * 1_000d,
            'm' => amount,
            'u' => amount / 1_000d,
            'n' => amount / 1_000_000d,
            _ => null,
        };

        // CancelAfter accepts at most int.MaxValue ms (~24.8 days); longer deadlines never fire in practice.
        return milliseconds is { } ms ? TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue - 1)) : null;
    }

    /// <summary>Percent-encodes <c>grpc-message</c>: UTF-8 bytes outside printable ASCII, and '%'.</summary>
    public static string PercentEncode(string message)
    {
        var needsEncoding = false;
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                needsEncoding = true;
                break;
            }
        }

        if (!needsEncoding)
        {
            return message;
        }

        var encoded = new StringBuilder(message.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < (byte)' ' or > (byte)'~' or (byte)'%')
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                encoded.Append((char)b);
            }
        }

        return encoded.ToString();
    }

    /// <summary>Whether the comma-separated <c>grpc-accept-encoding</c> list names gzip.</summary>
    public static bool AcceptsGzip(string? acceptEncoding) =>
        acceptEncoding is not null && acceptEncoding.Split(',').Any(e => e.Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase));

    private static bool StartsWith(string value, string prefix, out string rest)
    {
        if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            rest = value[prefix.Length..];
            return true;
        }

        rest = "";
        return false;
    }
}
