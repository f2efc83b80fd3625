using System.Buffers.Binary;

namespace NanoBanana.Generation.Inputs;

/// <summary>What an uploaded image really is, read from its bytes (never from a file name or declared type).</summary>
internal sealed record ImageInfo(string MimeType, int Width, int Height);

/// <summary>Recognises JPEG, PNG and WebP by magic bytes and reads the dimensions from the header.</summary>
internal static class ImageInspector
{
    public const int MaxBytes = 10 * 1024 * 1024;

    public const int MaxSide = 8192;

    public const int MinSide = 16;

    /// <summary>The image's type and size, or null when the bytes are not a JPEG, PNG or WebP with a readable header.</summary>
    public static ImageInfo? Inspect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 24 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            && data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return new ImageInfo("image/png", (int)BinaryPrimitives.ReadUInt32BigEndian(data[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        }

        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return InspectJpeg(data);
        }

        if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return InspectWebP(data);
        }

        return null;
    }

    private static ImageInfo? InspectJpeg(ReadOnlySpan<byte> data)
    {
        var position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                return null;
            }

            var marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++; // Fill byte.
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2; // Markers without a length.
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2)
            {
                return null;
            }

            // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (position + 9 > data.Length)
                {
                    return null;
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 7)..]);
                return new ImageInfo("image/jpeg", width, height);
            }

            position += 2 + length;
        }

        return null;
    }

    private static ImageInfo? InspectWebP(ReadOnlySpan<byte> data)
    {
        var chunk = data.Slice(12, 4);
        var body = data[20..];
        if (chunk.SequenceEqual("VP8 "u8) && body.Length >= 10 && body[3] == 0x9D && body[4] == 0x01 && body[5] == 0x2A)
        {
            var width = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF;
            return new ImageInfo("image/webp", width, height);
        }

        if (chunk.SequenceEqual("VP8L"u8) && body.Length >= 5 && body[0] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            return new ImageInfo("image/webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8) && body.Length >= 10)
        {
            var width = (body[4] | (body[5] << 8) | (body[6] << 16)) + 1;
            var height = (body[7] | (body[8] << 8) | (body[9] << 16)) + 1;
            return new ImageInfo("image/webp", width, height);
        }

        return null;
    }
}
