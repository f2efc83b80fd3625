using System.Globalization;
using System.Text;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.VideoTools;

/// <summary>One timed line of speech.</summary>
internal sealed record Segment(double Start, double End, string Text);

/// <summary>SubRip files for delivery and ASS scripts for libass (the burned-in captions).</summary>
internal static class Subtitles
{
    public static string ToSrt(IReadOnlyList<Segment> segments)
    {
        var text = new StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{SrtTime(segment.Start)} --> {SrtTime(segment.End)}\n{segment.Text.Trim()}\n\n");
        }

        return text.ToString();
    }

    /// <summary>An ASS script sized to the output frame, so font sizes and margins are in output pixels.</summary>
    public static string ToAss(IReadOnlyList<Segment> segments, CaptionStyle style, int width, int height)
    {
        var (fontSize, bold, outline) = style switch
        {
            CaptionStyle.Bold => (height * 0.065, -1, Math.Max(3, height / 160)),
            CaptionStyle.Karaoke => (height * 0.055, -1, Math.Max(2, height / 240)),
            _ => (height * 0.045, 0, Math.Max(2, height / 360)),
        };
        // Colours are &HAABBGGRR. Karaoke: words start white (secondary) and turn yellow (primary) as they are spoken.
        var primary = style == CaptionStyle.Karaoke ? "&H0000FFFF" : "&H00FFFFFF";
        var marginV = (int)(height * 0.08);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            [Script Info]
            ScriptType: v4.00+
            PlayResX: {width}
            PlayResY: {height}
            WrapStyle: 0
            ScaledBorderAndShadow: yes

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Caption,DejaVu Sans,{(int)fontSize},{primary},&H00FFFFFF,&H00000000,&H80000000,{bold},0,0,0,100,100,0,0,1,{outline},1,2,{width / 20},{width / 20},{marginV},1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """);
        foreach (var segment in segments)
        {
            var line = style switch
            {
                CaptionStyle.Bold => Escape(segment.Text.ToUpperInvariant()),
                CaptionStyle.Karaoke => Karaoke(segment),
                _ => Escape(segment.Text),
            };
            text.Append(CultureInfo.InvariantCulture, $"Dialogue: 0,{AssTime(segment.Start)},{AssTime(segment.End)},Caption,,0,0,0,,{line}\n");
        }

        return text.ToString();
    }

    /// <summary>Each word gets a share of the segment's time proportional to its length.</summary>
    private static string Karaoke(Segment segment)
    {
        var words = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var totalCentiseconds = Math.Max(1, (int)Math.Round((segment.End - segment.Start) * 100));
        var letters = Math.Max(1, words.Sum(w => w.Length));
        var line = new StringBuilder();
        foreach (var word in words)
        {
            line.Append(CultureInfo.InvariantCulture, $"{{\\k{Math.Max(1, totalCentiseconds * word.Length / letters)}}}{Escape(word)} ");
        }

        return line.ToString().TrimEnd();
    }

    /// <summary>Braces open ASS override tags and backslashes start escapes; neither may come from speech.</summary>
    private static string Escape(string text) =>
        text.Trim().Replace('\\', '/').Replace('{', '(').Replace('}', ')').Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\N", StringComparison.Ordinal);

    private static string SrtTime(double seconds)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(0, seconds) * 1000));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00},{time.Milliseconds:000}");
    }

    private static string AssTime(double seconds)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(0, seconds) * 100) * 10);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}.{time.Milliseconds / 10:00}");
    }
}
