using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>How a call is framed: native gRPC on h2c, gRPC-Web binary or text on HTTP/1.1.</summary>
public enum GrpcWireMode
{
    Native,
    Web,
    WebText,
}

/// <summary>The outcome of one call as seen on the wire.</summary>
public sealed record GrpcReply(
    HttpStatusCode HttpStatus,
    HttpResponseMessage Response,
    IReadOnlyList<byte[]> Messages,
    int? Status,
    string? Message,
    string? DetailsBin,
    bool TrailersOnly)
{
    public T Only<T>(MessageParser<T> parser)
        where T : IMessage<T> => parser.ParseFrom(Assert.Single(Messages));
}

/// <summary>
/// A deliberately raw gRPC client over HttpClient (HTTP/2 prior knowledge for native, HTTP/1.1 for
/// gRPC-Web), so tests see frames, headers and trailers exactly as sent.
/// </summary>
public sealed class GrpcTestClient(Uri grpcAddress, Uri httpAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false });

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public Task<GrpcReply> CallAsync(string path, IMessage request, GrpcWireMode mode = GrpcWireMode.Native, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(path, Frame(request), mode, configure);

    public async Task<GrpcReply> SendAsync(string path, byte[] body, GrpcWireMode mode = GrpcWireMode.Native, Action<HttpRequestMessage>? configure = null, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(path, body, mode);
        configure?.Invoke(request);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Parse(response, content, mode);
    }

    public HttpRequestMessage CreateRequest(string path, byte[] body, GrpcWireMode mode)
    {
        var native = mode == GrpcWireMode.Native;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(native ? grpcAddress : httpAddress, path))
        {
            Version = native ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(mode == GrpcWireMode.WebText ? Encoding.ASCII.GetBytes(Convert.ToBase64String(body)) : body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mode switch
        {
            GrpcWireMode.Web => "application/grpc-web+proto",
            GrpcWireMode.WebText => "application/grpc-web-text",
            _ => "application/grpc",
        });
        if (native)
        {
            request.Headers.TryAddWithoutValidation("te", "trailers");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("x-grpc-web", "1");
        }

        if (mode == GrpcWireMode.WebText)
        {
            // As Google's grpc-web text client does: the server answers in text only when asked to.
            request.Headers.TryAddWithoutValidation("accept", "application/grpc-web-text");
        }

        return request;
    }

    public Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        _http.SendAsync(request, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>Decodes gRPC-Web text: one base64 stream, or several padded ones back to back.</summary>
    public static byte[] DecodeBase64(byte[] text)
    {
        var ascii = Encoding.ASCII.GetString(text).Trim();
        var bytes = new List<byte>(ascii.Length * 3 / 4);
        for (var offset = 0; offset < ascii.Length; offset += 4)
        {
            bytes.AddRange(Convert.FromBase64String(ascii.Substring(offset, Math.Min(4, ascii.Length - offset))));
        }

        return [.. bytes];
    }

    private static GrpcReply Parse(HttpResponseMessage response, byte[] content, GrpcWireMode mode)
    {
        if (mode == GrpcWireMode.WebText)
        {
            content = DecodeBase64(content);
        }

        var messages = new List<byte[]>();
        var webTrailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var offset = 0; offset < content.Length;)
        {
            var flag = content[offset];
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset + 1));
            var payload = content.AsSpan(offset + 5, length).ToArray();
            offset += 5 + length;
            if ((flag & 0x80) != 0)
            {
                foreach (var line in Encoding.ASCII.GetString(payload).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    webTrailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            else
            {
                messages.Add(payload);
            }
        }

        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.First() : null;
        string? Trailer(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var values) ? values.First()
            : webTrailers.TryGetValue(name, out var value) ? value : null;

        var trailersOnly = Header("grpc-status") is not null;
        string? Value(string name) => trailersOnly ? Header(name) : Trailer(name);
        var status = Value("grpc-status");
        return new GrpcReply(
            response.StatusCode,
            response,
            messages,
            status is null ? null : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            Value("grpc-message") is { } message ? Uri.UnescapeDataString(message) : null,
            Value("grpc-status-details-bin"),
            trailersOnly);
    }
}
