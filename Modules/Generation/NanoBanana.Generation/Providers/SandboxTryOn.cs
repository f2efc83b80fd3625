using System.Globalization;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Inputs;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// The Sandbox's offline try-on: the person photo with the garment photo scaled into the zone's place on it
/// (a rough stand-in for the model's fitting, but a real PNG that visibly holds both inputs).
/// </summary>
internal static class SandboxTryOn
{
    /// <summary>The person photo is drawn with its longer side at most this long.</summary>
    private const int MaxSide = 1024;

    public static async Task<GeneratedMedia> RenderAsync(string ffmpegPath, ProviderRequest request, CancellationToken cancellationToken)
    {
        var person = request.References[0];
        var garment = request.References[1];
        var info = ImageInspector.Inspect(person.Data)
            ?? throw new ProviderFailureException(FailureClass.InvalidInput, "sandbox: the person image is unreadable");
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(info.Width, info.Height));
        // Even sides: some encoders and players dislike odd ones.
        var width = Math.Max(16, (int)(info.Width * scale) / 2 * 2);
        var height = Math.Max(16, (int)(info.Height * scale) / 2 * 2);
        var (fx, fy, fw, fh) = Box(request.TryOnZone);
        int bx = (int)(width * fx), by = (int)(height * fy), bw = Math.Max(8, (int)(width * fw)), bh = Math.Max(8, (int)(height * fh));
        var folder = Path.Combine(Path.GetTempPath(), $"nb-tryon-{request.JobId:N}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var personPath = Path.Combine(folder, "person");
            var garmentPath = Path.Combine(folder, "garment");
            var output = Path.Combine(folder, "result.png");
            await File.WriteAllBytesAsync(personPath, person.Data, cancellationToken);
            await File.WriteAllBytesAsync(garmentPath, garment.Data, cancellationToken);
            var filter = string.Create(
                CultureInfo.InvariantCulture,
                $"[0:v]scale={width}:{height},format=rgb24[p];[1:v]scale={bw}:{bh}:force_original_aspect_ratio=decrease,format=rgba[g];" +
                $"[p][g]overlay=x={bx}+({bw}-overlay_w)/2:y={by}+({bh}-overlay_h)/2,drawbox=x={bx}:y={by}:w={bw}:h={bh}:color=white@0.7:t=2");
            await Ffmpeg.EncodeAsync(
                ffmpegPath,
                ["-i", personPath, "-i", garmentPath, "-filter_complex", filter, "-frames:v", "1", "-c:v", "png", "-f", "image2"],
                output,
                FfmpegLimits.OneOff,
                cancellationToken);
            return new GeneratedMedia("image/png", await File.ReadAllBytesAsync(output, cancellationToken)) { Width = width, Height = height };
        }
        catch (FfmpegException exception)
        {
            throw new ProviderFailureException(FailureClass.InvalidInput, $"sandbox try-on: {exception.Message}", exception);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Where the zone sits on a standing person photo, as fractions of its width and height (left, top, width, height).</summary>
    internal static (double X, double Y, double W, double H) Box(TryOnZone zone) => zone switch
    {
        TryOnZone.Top => (0.25, 0.22, 0.50, 0.32),
        TryOnZone.Bottom => (0.28, 0.50, 0.44, 0.36),
        TryOnZone.Dress => (0.22, 0.22, 0.56, 0.64),
        TryOnZone.Outerwear => (0.18, 0.20, 0.64, 0.42),
        TryOnZone.Shoes => (0.25, 0.86, 0.50, 0.14),
        TryOnZone.Hat => (0.30, 0.00, 0.40, 0.14),
        TryOnZone.Glasses => (0.36, 0.11, 0.28, 0.07),
        TryOnZone.Bag => (0.62, 0.42, 0.30, 0.28),
        TryOnZone.Jewelry => (0.40, 0.22, 0.20, 0.08),
        _ => (0.25, 0.25, 0.50, 0.50),
    };
}
