using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// Offline, deterministic stand-in for every provider: a real PNG drawn from the prompt's hash and
/// a real MP4 rendered by ffmpeg. Prompt markers make every path reachable on demand
/// (docs/adr/0053-sandbox-provider.md lists them):
/// <c>[sandbox:safety]</c>, <c>[sandbox:empty]</c>, <c>[sandbox:invalid]</c>, <c>[sandbox:quota]</c>,
/// <c>[sandbox:outage]</c> (transient every attempt), <c>[sandbox:flaky]</c> (transient on the first attempt),
/// <c>[sandbox:hang]</c> (never answers; the deadline ends it), <c>[sandbox:slow=N]</c> (N more seconds),
/// <c>[sandbox:withhold=N]</c> (N of the images asked for left out, as Imagen's safety filter does; all of them: a safety refusal).
/// </summary>
internal sealed partial class SandboxProvider(SandboxOptions options) : IGenerationProvider
{
    public Engine Engine => Engine.Sandbox;

    public bool IsLongRunning(GenerationKind kind) => false;

    public async Task<ProviderOutcome> SubmitAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        var prompt = request.Prompt;
        var delay = options.Latency + (SlowMarker().Match(prompt) is { Success: true } slow
            ? TimeSpan.FromSeconds(int.Parse(slow.Groups[1].Value, CultureInfo.InvariantCulture))
            : TimeSpan.Zero);
        if (Has(prompt, "hang"))
        {
            delay = Timeout.InfiniteTimeSpan;
        }

        if (delay != TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        FailIfMarked(request);
        var images = Math.Max(1, request.ImageCount) - (WithholdMarker().Match(prompt) is { Success: true } withhold ? int.Parse(withhold.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        if (!request.Kind.IsVideo() && images <= 0)
        {
            throw new ProviderFailureException(FailureClass.Safety, "sandbox: every image withheld");
        }

        IReadOnlyList<GeneratedMedia> media = request.Kind == GenerationKind.TryOn
            ? [await SandboxTryOn.RenderAsync(options.FfmpegPath, request, cancellationToken)]
            : request.Kind.IsVideo()
            ? [await RenderVideoAsync(request, cancellationToken)]
            : [.. Enumerable.Range(0, images).Select(i => RenderImage(request, i))];
        return new ProviderOutcome.Completed(media);
    }

    public Task<ProviderOutcome> PollAsync(ProviderRequest request, string operationId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The sandbox answers synchronously.");

    private static void FailIfMarked(ProviderRequest request)
    {
        var prompt = request.Prompt;
        if (Has(prompt, "safety"))
        {
            throw new ProviderFailureException(FailureClass.Safety, "sandbox: safety marker");
        }

        if (Has(prompt, "empty"))
        {
            throw new ProviderFailureException(FailureClass.Empty, "sandbox: empty marker");
        }

        if (Has(prompt, "invalid"))
        {
            throw new ProviderFailureException(FailureClass.InvalidInput, "sandbox: invalid marker");
        }

        if (Has(prompt, "quota"))
        {
            throw new ProviderFailureException(FailureClass.Quota, "sandbox: quota marker");
        }

        if (Has(prompt, "outage") || (Has(prompt, "flaky") && request.Attempt <= 1))
        {
            throw new ProviderFailureException(FailureClass.Transient, "sandbox: outage marker");
        }
    }

    private static bool Has(string prompt, string marker) => prompt.Contains($"[sandbox:{marker}]", StringComparison.OrdinalIgnoreCase);

    /// <summary>Output size: the aspect ratio at a sandbox scale (long side 512 px; 1024 for 2K/4K).</summary>
    internal static (int Width, int Height) ImageSize(string aspectRatio, string resolution)
    {
        var longSide = resolution is "2K" or "4K" ? 1024 : 512;
        var (w, h) = Ratio(aspectRatio);
        return w >= h ? (longSide, Math.Max(16, longSide * h / w)) : (Math.Max(16, longSide * w / h), longSide);
    }

    private static (int W, int H) Ratio(string aspectRatio)
    {
        var parts = aspectRatio.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var w) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var h) && w > 0 && h > 0
            ? (w, h)
            : (1, 1);
    }

    /// <summary>Image <paramref name="index"/> of the request: the first from the prompt alone, the others visibly different.</summary>
    /// <remarks>
    /// Two colours and a ring pattern from the prompt's hash: different prompts give visibly different pictures. It
    /// stands in for a remote provider, whose work happens elsewhere, so it is drawn with integers only: the colour of
    /// a pixel depends on x + y and on its ring, both looked up; the ring follows the squared distance along a row.
    /// </remarks>
    private static GeneratedMedia RenderImage(ProviderRequest request, int index)
    {
        var (width, height) = ImageSize(request.AspectRatio, request.Resolution);
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(index == 0 ? request.Prompt : $"{request.Prompt}#{index}"));
        int cx = width * (51 + (seed[6] * 153 / 255)) / 255, cy = height * (51 + (seed[7] * 153 / 255)) / 255;
        var ringWidth = 6 + (seed[8] % 24);
        // Colours along the diagonal: a gradient from seed[0..2] to seed[3..5] inside a ring, its inverse outside.
        var diagonal = width + height;
        var inside = new byte[diagonal * 3];
        var outside = new byte[diagonal * 3];
        for (var t = 0; t < diagonal; t++)
        {
            for (var c = 0; c < 3; c++)
            {
                var value = ((seed[c] * (diagonal - t)) + (seed[c + 3] * t)) / diagonal;
                inside[(t * 3) + c] = (byte)value;
                outside[(t * 3) + c] = (byte)(255 - value);
            }
        }

        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var dy2 = (y - cy) * (y - cy);
            var ring = (int)Math.Sqrt(dy2 + (cx * cx)) / ringWidth;
            int below = ring * ringWidth * ring * ringWidth, above = (ring + 1) * ringWidth * (ring + 1) * ringWidth;
            var row = pixels.AsSpan(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                // The ring index of (x, y): the squared distance moves by little between neighbours, so its bounds do too.
                var d2 = ((x - cx) * (x - cx)) + dy2;
                while (d2 >= above)
                {
                    ring++;
                    (below, above) = (above, (ring + 1) * ringWidth * (ring + 1) * ringWidth);
                }

                while (d2 < below)
                {
                    ring--;
                    (below, above) = (ring * ringWidth * ring * ringWidth, below);
                }

                (ring % 2 == 0 ? inside : outside).AsSpan((x + y) * 3, 3).CopyTo(row.Slice(x * 3, 3));
            }
        }

        return new GeneratedMedia("image/png", PngEncoder.Encode(width, height, pixels));
    }

    /// <summary>Sandbox video frame size: the requested resolution at half scale, to keep rendering cheap.</summary>
    internal static (int Width, int Height) VideoSize(string aspectRatio, string resolution)
    {
        var shortSide = resolution == "1080p" ? 540 : 360;
        var longSide = shortSide * 16 / 9;
        return aspectRatio == "9:16" ? (shortSide, longSide) : (longSide, shortSide);
    }

    private async Task<GeneratedMedia> RenderVideoAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        var (width, height) = VideoSize(request.AspectRatio, request.Resolution);
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(request.Prompt));
        var output = Path.Combine(Path.GetTempPath(), $"nb-sandbox-{request.JobId:N}-{Guid.NewGuid():N}.mp4");
        var arguments = new List<string>
        {
            "-f", "lavfi", "-i", $"testsrc2=s={width}x{height}:r=24:d={request.DurationSeconds}",
        };
        if (request.Audio)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"sine=f={220 + (seed[0] * 2)}:d={request.DurationSeconds}", "-c:a", "aac"]);
        }

        arguments.AddRange(["-vf", $"hue=h={seed[1] * 360 / 256}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-shortest"]);
        try
        {
            await Ffmpeg.EncodeAsync(options.FfmpegPath, arguments, output, FfmpegLimits.OneOff, cancellationToken);
        }
        catch (FfmpegException exception)
        {
            throw new ProviderFailureException(FailureClass.Permanent, $"sandbox: {exception.Message} (Generation:Sandbox:FfmpegPath)", exception);
        }

        try
        {
            return new GeneratedMedia("video/mp4", await File.ReadAllBytesAsync(output, cancellationToken));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [GeneratedRegex(@"\[sandbox:slow=(\d{1,3})\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlowMarker();

    [GeneratedRegex(@"\[sandbox:withhold=(\d)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithholdMarker();
}
