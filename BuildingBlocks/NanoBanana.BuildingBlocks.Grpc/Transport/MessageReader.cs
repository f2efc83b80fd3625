using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;

namespace NanoBanana.BuildingBlocks.Grpc.Transport;

/// <summary>
/// Reads length-prefixed gRPC messages (1 flag byte, 4-byte big-endian length, payload) from a
/// request body. Never buffers more than one frame of at most the configured size; every
/// malformation ends the call with a status instead of an exception escaping to Kestrel.
/// </summary>
internal sealed class MessageReader(PipeReader body, int maxMessageBytes, bool gzipDeclared)
{
    private const int HeaderLength = 5;

    /// <summary>The next message's (decompressed) bytes, or null at the clean end of the stream.</summary>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, out var compressed, out var payload))
            {
                body.AdvanceTo(buffer.Start);
                return compressed ? Decompress(payload) : payload;
            }

            if (result.IsCompleted)
            {
                body.AdvanceTo(buffer.End);
                return buffer.IsEmpty ? null : throw new GrpcStatusException(GrpcStatusCode.Internal, "Incomplete gRPC message frame.");
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out bool compressed, out byte[] payload)
    {
        compressed = false;
        payload = [];
        if (buffer.Length < HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        var flag = header[0];
        if (flag > 1)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "Malformed gRPC message frame.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageBytes)
        {
            throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"Request message larger than {maxMessageBytes} bytes.");
        }

        if (buffer.Length < HeaderLength + length)
        {
            return false;
        }

        if (flag == 1 && !gzipDeclared)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "Compressed message received without a grpc-encoding.");
        }

        compressed = flag == 1;
        payload = buffer.Slice(HeaderLength, length).ToArray();
        buffer = buffer.Slice(HeaderLength + length);
        return true;
    }

    private byte[] Decompress(byte[] payload)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + read > maxMessageBytes)
                {
                    throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"Request message larger than {maxMessageBytes} bytes.");
                }

                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "Request message is not valid gzip.");
        }
    }

    /// <summary>
    /// Decodes a whole gRPC-Web text body. Clients may send several base64 chunks, each with its own
    /// padding, so the text is decoded in independent 4-character groups.
    /// </summary>
    public static async Task<PipeReader> DecodeTextBodyAsync(PipeReader body, int maxMessageBytes, CancellationToken cancellationToken)
    {
        // Base64 is 4/3 of the binary size; allow one frame header and one trailing frame's worth of slack.
        long limit = ((maxMessageBytes + 64L) * 4 / 3) + 64;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            if (result.Buffer.Length > limit)
            {
                throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"Request message larger than {maxMessageBytes} bytes.");
            }

            if (result.IsCompleted)
            {
                var text = result.Buffer.ToArray();
                body.AdvanceTo(result.Buffer.End);
                return PipeReader.Create(new ReadOnlySequence<byte>(DecodeBase64Groups(text)));
            }

            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    internal static byte[] DecodeBase64Groups(ReadOnlySpan<byte> text)
    {
        if (text.Length % 4 != 0)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, "Malformed gRPC-Web text body.");
        }

        var output = new byte[text.Length / 4 * 3];
        var written = 0;
        Span<char> group = stackalloc char[4];
        for (var i = 0; i < text.Length; i += 4)
        {
            for (var j = 0; j < 4; j++)
            {
                group[j] = (char)text[i + j];
            }

            if (!Convert.TryFromBase64Chars(group, output.AsSpan(written), out var bytes))
            {
                throw new GrpcStatusException(GrpcStatusCode.Internal, "Malformed gRPC-Web text body.");
            }

            written += bytes;
        }

        return output[..written];
    }
}
