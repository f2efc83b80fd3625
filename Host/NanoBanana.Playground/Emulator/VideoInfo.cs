using System.Buffers.Binary;

namespace NanoBanana.Playground.Emulator;

/// <summary>
/// Reads an MP4/MOV's picture size and duration from its boxes (<c>moov/mvhd</c>, the video <c>trak</c>'s
/// <c>tkhd</c>), as a Telegram client reports them in a video message; null for anything else (webm, mkv, garbage).
/// </summary>
internal static class VideoInfo
{
    public static (int Width, int Height, int DurationSeconds)? Read(ReadOnlySpan<byte> data)
    {
        var moov = Find(data, "moov"u8);
        var mvhd = Find(moov, "mvhd"u8);
        // mvhd: version, flags, then creation/modification times (4 or 8 bytes each), timescale, duration.
        var version1 = mvhd.Length > 0 && mvhd[0] == 1;
        if (mvhd.Length < (version1 ? 32 : 20))
        {
            return null;
        }

        var timescale = BinaryPrimitives.ReadUInt32BigEndian(mvhd[(version1 ? 20 : 12)..]);
        if (timescale == 0)
        {
            return null;
        }

        var duration = version1 ? BinaryPrimitives.ReadUInt64BigEndian(mvhd[24..]) : BinaryPrimitives.ReadUInt32BigEndian(mvhd[16..]);
        var rest = moov;
        while (Next(ref rest, out var type, out var trak))
        {
            if (!type.SequenceEqual("trak"u8))
            {
                continue;
            }

            var hdlr = Find(Find(trak, "mdia"u8), "hdlr"u8);
            var tkhd = Find(trak, "tkhd"u8);
            if (hdlr.Length >= 12 && hdlr[8..12].SequenceEqual("vide"u8) && tkhd.Length >= 84)
            {
                // tkhd ends with the width and height as 16.16 fixed-point numbers.
                var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[^8..]) >> 16);
                var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd[^4..]) >> 16);
                return width > 0 && height > 0 ? (width, height, (int)Math.Round((double)duration / timescale)) : null;
            }
        }

        return null;
    }

    /// <summary>The payload of the first box of that type among <paramref name="boxes"/>, or empty.</summary>
    private static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> boxes, ReadOnlySpan<byte> wanted)
    {
        while (Next(ref boxes, out var type, out var payload))
        {
            if (type.SequenceEqual(wanted))
            {
                return payload;
            }
        }

        return [];
    }

    /// <summary>Takes the next box off <paramref name="boxes"/>; false at the end or on a malformed size.</summary>
    private static bool Next(scoped ref ReadOnlySpan<byte> boxes, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> payload)
    {
        type = payload = default;
        if (boxes.Length < 8)
        {
            return false;
        }

        ulong size = BinaryPrimitives.ReadUInt32BigEndian(boxes);
        var header = 8;
        if (size == 1 && boxes.Length >= 16)
        {
            size = BinaryPrimitives.ReadUInt64BigEndian(boxes[8..]);
            header = 16;
        }
        else if (size == 0)
        {
            size = (ulong)boxes.Length; // The box runs to the end of the file.
        }

        if (size < (ulong)header || size > (ulong)boxes.Length)
        {
            return false;
        }

        type = boxes.Slice(4, 4);
        payload = boxes[header..(int)size];
        boxes = boxes[(int)size..];
        return true;
    }
}
