using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace NanoBanana.BuildingBlocks.Grpc.Transport;

/// <summary>
/// One gRPC call on one HTTP request: reads request messages, writes response messages and the final
/// status in the framing of its <see cref="GrpcWireMode"/>. The counterpart of Grpc.AspNetCore's
/// ServerCallContext plus its reader/writer, kept internal to the transport.
/// </summary>
public sealed class GrpcCall
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly bool _compressResponses;
    private MessageReader? _reader;
    private bool _responseStarted;

    internal GrpcCall(HttpContext http, GrpcWireMode mode, GrpcServerOptions options, CancellationToken cancellationToken)
    {
        _http = http;
        _options = options;
        Mode = mode;
        CancellationToken = cancellationToken;
        _compressResponses = options.CompressResponses && GrpcWire.AcceptsGzip(http.Request.Headers["grpc-accept-encoding"]);
    }

    public GrpcWireMode Mode { get; }

    /// <summary>Fires on the deadline or when the client goes away.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The request's scope (one per call).</summary>
    public IServiceProvider Services => _http.RequestServices;

    /// <summary>Whether anything went to the client yet (after that, the status goes into trailers).</summary>
    public bool ResponseStarted => _responseStarted;

    /// <summary>The next request message, or null when the client finished sending.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        _reader ??= await CreateReaderAsync();
        var bytes = await _reader.ReadAsync(CancellationToken);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "Request message is malformed.");
        }
    }

    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    public async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await ReadMessageAsync(parser)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "Request message is missing.");
        if (await _reader!.ReadAsync(CancellationToken) is not null)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "More than one request message for a single-request method.");
        }

        return message;
    }

    /// <summary>Writes one response message and flushes it (server streaming must reach the client at once).</summary>
    public async ValueTask WriteMessageAsync(IMessage message)
    {
        StartResponse();
        var size = message.CalculateSize();
        var writer = _http.Response.BodyWriter;
        if (Mode == GrpcWireMode.Native && !_compressResponses)
        {
            var span = writer.GetSpan(5 + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(5, size));
            writer.Advance(5 + size);
        }
        else
        {
            var payload = message.ToByteArray();
            if (_compressResponses)
            {
                payload = Gzip(payload);
            }

            WriteFrame(writer, _compressResponses ? (byte)1 : (byte)0, payload);
        }

        await writer.FlushAsync(CancellationToken);
    }

    /// <summary>Ends the call with its status: trailers-only when nothing was sent yet, else trailers.</summary>
    internal async Task WriteStatusAsync(GrpcStatus status)
    {
        var response = _http.Response;
        if (!_responseStarted)
        {
            _responseStarted = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcWire.ResponseContentType(Mode);
            AddStatus(status, (key, value) => response.Headers[key] = value);
            return;
        }

        if (Mode == GrpcWireMode.Native)
        {
            AddStatus(status, (key, value) => response.AppendTrailer(key, value));
            return;
        }

        var trailers = new StringBuilder()
            .Append("grpc-status:").Append((int)status.Code).Append("\r\n")
            .Append("grpc-message:").Append(GrpcWire.PercentEncode(status.Message)).Append("\r\n");
        if (status.Details is { } details)
        {
            trailers.Append("grpc-status-details-bin:").Append(Convert.ToBase64String(details)).Append("\r\n");
        }

        WriteFrame(response.BodyWriter, 0x80, Encoding.ASCII.GetBytes(trailers.ToString()));
        await response.BodyWriter.FlushAsync(CancellationToken.None);
    }

    private async Task<MessageReader> CreateReaderAsync()
    {
        var encoding = _http.Request.Headers["grpc-encoding"].ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        var body = Mode == GrpcWireMode.WebText
            ? await MessageReader.DecodeTextBodyAsync(_http.Request.BodyReader, _options.MaxMessageBytes, CancellationToken)
            : _http.Request.BodyReader;
        return new MessageReader(body, _options.MaxMessageBytes, gzip);
    }

    private void StartResponse()
    {
        if (_responseStarted)
        {
            return;
        }

        _responseStarted = true;
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcWire.ResponseContentType(Mode);
        if (_compressResponses)
        {
            response.Headers["grpc-encoding"] = "gzip";
        }

        response.Headers["grpc-accept-encoding"] = GrpcWire.AcceptedEncodings;
    }

    private void WriteFrame(PipeWriter writer, byte flag, byte[] payload)
    {
        if (Mode == GrpcWireMode.WebText)
        {
            var frame = new byte[5 + payload.Length];
            frame[0] = flag;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
            payload.CopyTo(frame, 5);
            // Each frame is its own padded base64 chunk; clients decode in 4-character groups.
            writer.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(frame)));
            return;
        }

        var span = writer.GetSpan(5 + payload.Length);
        span[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)payload.Length);
        payload.CopyTo(span[5..]);
        writer.Advance(5 + payload.Length);
    }

    private static byte[] Gzip(byte[] payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    private static void AddStatus(GrpcStatus status, Action<string, string> add)
    {
        add("grpc-status", ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (status.Message.Length > 0)
        {
            add("grpc-message", GrpcWire.PercentEncode(status.Message));
        }

        if (status.Details is { } details)
        {
            add("grpc-status-details-bin", Convert.ToBase64String(details));
        }
    }
}
