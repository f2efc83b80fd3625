using System.Globalization;
using System.Text.Json;

namespace NanoBanana.BuildingBlocks.Media;

/// <summary>What ffprobe says about a file: the first video stream's size, whether there is sound, the length.</summary>
public sealed record MediaProbe(double DurationSeconds, int Width, int Height, bool HasVideo, bool HasAudio)
{
    /// <summary>From ffprobe's <c>-print_format json -show_format -show_streams</c>; null when it lists no streams.</summary>
    public static MediaProbe? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams))
        {
            return null;
        }

        int width = 0, height = 0;
        bool hasVideo = false, hasAudio = false;
        double streamDuration = 0;
        foreach (var stream in streams.EnumerateArray())
        {
            var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
            // A cover picture in an audio file is a "video" stream too, but not a video.
            var attachedPicture = stream.TryGetProperty("disposition", out var disposition)
                && disposition.TryGetProperty("attached_pic", out var pic) && pic.GetInt32() == 1;
            if (type == "video" && !hasVideo && !attachedPicture)
            {
                hasVideo = true;
                width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
                height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
            }
            else if (type == "audio")
            {
                hasAudio = true;
            }

            if (stream.TryGetProperty("duration", out var d) && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                streamDuration = Math.Max(streamDuration, seconds);
            }
        }

        var duration = root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var fd)
            && double.TryParse(fd.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var formatSeconds)
            ? formatSeconds
            : streamDuration;
        return new MediaProbe(duration, width, height, hasVideo, hasAudio);
    }
}
