using System.Text;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Providers;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class InputAndSandboxTests
{
    internal static byte[] Png(int width, int height) => PngEncoder.Encode(width, height, new byte[width * height * 3]);

    /// <summary>A baseline JPEG header: SOI, an APP0 segment, then SOF0 carrying the size.</summary>
    internal static byte[] Jpeg(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        0xFF, 0xD9,
    ];

    internal static byte[] WebPLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        var data = new List<byte>();
        data.AddRange("RIFF"u8.ToArray());
        data.AddRange(BitConverter.GetBytes(22u));
        data.AddRange("WEBPVP8L"u8.ToArray());
        data.AddRange(BitConverter.GetBytes(10u));
        data.Add(0x2F);
        data.AddRange(BitConverter.GetBytes(bits));
        data.AddRange(new byte[5]);
        return [.. data];
    }

    [Fact]
    public void Png_jpeg_and_webp_are_recognised_by_content_with_their_size()
    {
        Assert.Equal(new ImageInfo("image/png", 40, 30), ImageInspector.Inspect(Png(40, 30)));
        Assert.Equal(new ImageInfo("image/jpeg", 1024, 768), ImageInspector.Inspect(Jpeg(1024, 768)));
        Assert.Equal(new ImageInfo("image/webp", 300, 200), ImageInspector.Inspect(WebPLossless(300, 200)));
    }

    [Fact]
    public void Anything_else_is_not_an_image()
    {
        Assert.Null(ImageInspector.Inspect(Encoding.ASCII.GetBytes("GIF89a............................")));
        Assert.Null(ImageInspector.Inspect("%PDF-1.7 not an image at all, just text"u8));
        Assert.Null(ImageInspector.Inspect(Png(40, 30).AsSpan(0, 12)));
        Assert.Null(ImageInspector.Inspect([0xFF, 0xD8, 0xFF, 0xE0, 0x00]));
        Assert.Null(ImageInspector.Inspect([]));
    }

    [Fact]
    public async Task Sandbox_draws_a_real_png_that_depends_on_the_prompt()
    {
        var sandbox = new SandboxProvider(new SandboxOptions { Latency = TimeSpan.Zero });
        var first = await ImageOf(sandbox, "a red fox", "16:9");
        var again = await ImageOf(sandbox, "a red fox", "16:9");
        var other = await ImageOf(sandbox, "a blue whale", "16:9");

        Assert.Equal(new ImageInfo("image/png", 512, 288), ImageInspector.Inspect(first));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // A decoder reads every pixel (ffmpeg checks the chunks and the zlib stream): a picture, not one flat colour.
        var path = Path.Combine(Path.GetTempPath(), $"nb-sandbox-test-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(path, first);
        try
        {
            var pixels = await TestVideos.GreyFrameAsync(path, 0, 512, 288);
            Assert.Equal(512 * 288, pixels.Length);
            Assert.True(pixels.Distinct().Count() > 2, "the picture has its rings and gradient");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Sandbox_renders_a_real_mp4_with_ffmpeg()
    {
        var sandbox = new SandboxProvider(new SandboxOptions { Latency = TimeSpan.Zero });
        var request = new ProviderRequest(Guid.NewGuid(), GenerationKind.TextToVideo, "veo", "waves", "9:16", 4, "720p", true, [], 1);

        var video = Assert.Single(Assert.IsType<ProviderOutcome.Completed>(await sandbox.SubmitAsync(request, default)).Media);

        Assert.Equal("video/mp4", video.MimeType);
        Assert.Equal("ftyp"u8.ToArray(), video.Data.AsSpan(4, 4).ToArray());
        Assert.True(video.Data.Length > 1000);
    }

    [Fact]
    public async Task Sandbox_without_ffmpeg_fails_with_a_clear_message()
    {
        var sandbox = new SandboxProvider(new SandboxOptions { Latency = TimeSpan.Zero, FfmpegPath = "/nonexistent/ffmpeg" });
        var request = new ProviderRequest(Guid.NewGuid(), GenerationKind.TextToVideo, "veo", "waves", "16:9", 4, "720p", false, [], 1);

        var failure = await Assert.ThrowsAsync<ProviderFailureException>(() => sandbox.SubmitAsync(request, default));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains("ffmpeg not found", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[sandbox:safety]", FailureClass.Safety)]
    [InlineData("[sandbox:empty]", FailureClass.Empty)]
    [InlineData("[sandbox:invalid]", FailureClass.InvalidInput)]
    [InlineData("[sandbox:quota]", FailureClass.Quota)]
    [InlineData("[sandbox:outage]", FailureClass.Transient)]
    [InlineData("[sandbox:flaky]", FailureClass.Transient)]
    public async Task Sandbox_markers_simulate_failures(string marker, FailureClass expected)
    {
        var sandbox = new SandboxProvider(new SandboxOptions { Latency = TimeSpan.Zero });
        var request = new ProviderRequest(Guid.NewGuid(), GenerationKind.TextToImage, "m", $"a cat {marker}", "1:1", 0, "1K", false, [], 1);

        Assert.Equal(expected, (await Assert.ThrowsAsync<ProviderFailureException>(() => sandbox.SubmitAsync(request, default))).FailureClass);
    }

    [Fact]
    public void Production_mode_offers_only_configured_providers_and_offline_mode_substitutes_the_sandbox()
    {
        IGenerationProvider[] adapters = [new SandboxProvider(new SandboxOptions())];
        var production = new ProviderRegistry(adapters, new GenerationOptions { Mode = GenerationMode.Production });
        var offline = new ProviderRegistry(adapters, new GenerationOptions { Mode = GenerationMode.Offline });

        Assert.Null(production.EngineFor(Catalog.Contracts.V1.Provider.Gemini));
        Assert.Equal(Engine.Sandbox, production.EngineFor(Catalog.Contracts.V1.Provider.Sandbox));
        Assert.Equal(Engine.Sandbox, offline.EngineFor(Catalog.Contracts.V1.Provider.Vertex));
    }

    private static async Task<byte[]> ImageOf(SandboxProvider sandbox, string prompt, string aspectRatio)
    {
        var request = new ProviderRequest(Guid.NewGuid(), GenerationKind.TextToImage, "m", prompt, aspectRatio, 0, "1K", false, [], 1);
        return Assert.Single(Assert.IsType<ProviderOutcome.Completed>(await sandbox.SubmitAsync(request, default)).Media).Data;
    }
}
