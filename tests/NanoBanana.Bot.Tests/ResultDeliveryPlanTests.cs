using Microsoft.Extensions.Configuration;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Generation.Contracts.V1;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>Which messages a finished job becomes, for files at and around Telegram's upload limits.</summary>
public sealed class ResultDeliveryPlanTests
{
    private const long MB = 1024 * 1024;

    [Theory]
    [InlineData("image/png", 9 * MB, 2048, 2048, "PhotoAndDocument")]
    [InlineData("image/png", 10 * MB, 1024, 1024, "PhotoAndDocument")]
    [InlineData("image/png", 10 * MB + 1, 1024, 1024, "PreviewAndDocument")]
    [InlineData("image/jpeg", 3 * MB, 5000, 5001, "PreviewAndDocument")]
    [InlineData("image/png", 1 * MB, 4200, 200, "PreviewAndDocument")]
    [InlineData("image/png", 50 * MB, 8000, 2000, "PreviewAndDocument")]
    [InlineData("image/png", 50 * MB + 1, 8000, 2000, "Link")]
    [InlineData("video/mp4", 50 * MB, 1920, 1080, "Video")]
    [InlineData("video/mp4", 50 * MB + 1, 1920, 1080, "Link")]
    [InlineData("application/octet-stream", 1 * MB, 0, 0, "Document")]
    public void Files_are_planned_within_telegrams_upload_limits(string mimeType, long size, int width, int height, string expected) =>
        Assert.Equal(Enum.Parse<Delivery>(expected), ResultMessages.Plan(new MediaRef { MimeType = mimeType, SizeBytes = size, Width = width, Height = height }));

    [Theory]
    [InlineData("en", "The file is too large for Telegram")]
    [InlineData("ru", "Файл слишком большой для Telegram")]
    public void A_video_over_50_MB_becomes_a_link_with_the_caption_and_the_actions(string language, string tooLarge)
    {
        var texts = new Texts();
        var results = new ResultMessages(new PublicLinks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bot:PublicBaseUrl"] = "https://media.example/" }).Build()));
        var media = new MediaRef { Id = "m1", MimeType = "video/mp4", SizeBytes = 73 * MB, Width = 1920, Height = 1080, DownloadPath = "/generation/media/m1" };

        var messages = results.Build((key, args) => texts.Get(language, key, args), "job-1", GenerationKind.TextToVideo, "Veo", "a cat surfing", 40, 1, 0, [media]);

        var link = Assert.Single(messages);
        Assert.Equal(OutKind.SendText, link.Kind);
        Assert.Null(link.Result);
        Assert.Contains(tooLarge, link.Text);
        Assert.Contains("https://media.example/generation/media/m1", link.Text);
        Assert.Contains("a cat surfing", link.Text);
        Assert.Contains(link.Inline!.SelectMany(row => row), b => b.Data == "res:a:job-1");
    }

    [Fact]
    public void An_image_becomes_a_captioned_photo_then_the_named_original_carrying_the_actions()
    {
        var texts = new Texts();
        var results = new ResultMessages(new PublicLinks(new ConfigurationBuilder().Build()));
        var media = new MediaRef { Id = "m2", MimeType = "image/png", SizeBytes = 2 * MB, Width = 1024, Height = 1024, DownloadPath = "/generation/media/m2" };

        var messages = results.Build((key, args) => texts.Get("en", key, args), "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", GenerationKind.TextToImage, "Nano Banana", "a pear", 10, 1, 0, [media]);

        Assert.Equal([OutKind.SendPhoto, OutKind.SendDocument], messages.Select(m => m.Kind));
        Assert.Contains("Cost: 10 credits", messages[0].Text);
        Assert.Null(messages[0].Inline);
        Assert.NotNull(messages[1].Inline);
        Assert.All(messages, m => Assert.Equal(new ResultFile("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "m2", "/generation/media/m2", 2 * MB, "nanobanana-0c1d2e3f4a5b.png"), m.Result));
    }

    [Theory]
    [InlineData("en", "Original: 4096×4096 px, 14.3 MB")]
    [InlineData("ru", "Оригинал: 4096×4096 px, 14.3 МБ")]
    public void A_4k_image_over_10_MB_becomes_a_preview_photo_then_the_document_saying_its_real_size(string language, string size)
    {
        var texts = new Texts();
        var results = new ResultMessages(new PublicLinks(new ConfigurationBuilder().Build()));
        var media = new MediaRef { Id = "m4", MimeType = "image/png", SizeBytes = 15_000_000, Width = 4096, Height = 4096, DownloadPath = "/generation/media/m4" };

        var messages = results.Build((key, args) => texts.Get(language, key, args), "job-4k", GenerationKind.TextToImage, "Nano Banana Pro", "a glacier", 55, 1, 0, [media]);

        Assert.Equal([OutKind.SendPhoto, OutKind.SendDocument], messages.Select(m => m.Kind));
        Assert.True(messages[0].Result!.Preview);
        Assert.Null(messages[0].Text);
        Assert.False(messages[1].Result!.Preview);
        Assert.Contains("a glacier", messages[1].Text);
        Assert.EndsWith(size + (language == "en" ? " — sent as a file, larger than Telegram shows as a photo." : " — отправлен файлом: Telegram не показывает такие большие фото."), messages[1].Text);
        Assert.Contains(messages[1].Inline!.SelectMany(row => row), b => b.Data == "res:a:job-4k");
    }
}
