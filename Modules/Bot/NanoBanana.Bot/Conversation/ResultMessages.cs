using NanoBanana.Bot.Replies;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// The messages that hand a finished job to the user. The sender uploads the files itself (or re-sends
/// the file_id Telegram returned for them), so Telegram's upload limits apply: an image within the
/// photo rules goes as a photo plus the original as a document, a larger image up to 50 MB as a scaled-down
/// preview photo plus the document whose caption gives its real size, another file up to 50 MB as a document,
/// a video up to 50 MB as a video, and anything larger as a download link.
/// </summary>
internal sealed class ResultMessages(PublicLinks links)
{
    public const string CallbackPrefix = "res";

    /// <summary>The buttons under a result (<c>res:action:job</c>), handled by <c>Features/ResultActions</c>.</summary>
    internal static class Actions
    {
        public const string Again = "a";
        public const string NewPrompt = "p";
        public const string Edit = "e";
        public const string Animate = "v";
    }

    /// <summary>Marks a reference photo that is a generated image (by media id) rather than a Telegram file_id.</summary>
    public const string GeneratedMediaPrefix = "media:";

    /// <summary>sendPhoto upload limit.</summary>
    public const long MaxPhotoBytes = 10L * 1024 * 1024;

    /// <summary>sendDocument / sendVideo upload limit of the public Bot API server.</summary>
    public const long MaxUploadBytes = 50L * 1024 * 1024;

    private const int MaxCaption = 1024;

    /// <param name="cost">What the user was charged.</param>
    /// <param name="requestedImages">Images asked for; when fewer arrived the caption says so and what came back.</param>
    /// <param name="released">Credits given back for the images that did not arrive.</param>
    public IReadOnlyList<OutMessage> Build(
        Func<string, object?[], string> t, string jobId, GenerationKind kind, string modelName, string prompt, long cost, int requestedImages, long released, IEnumerable<MediaRef> media)
    {
        var items = media.ToList();
        var caption = Caption(t, modelName, prompt, cost, PartialLine(t, requestedImages, released, items));
        var buttons = Buttons(t, jobId, kind);
        var messages = new List<OutMessage>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var file = new ResultFile(jobId, item.Id, item.DownloadPath, item.SizeBytes, FileName(jobId, item, i, items.Count));
            switch (Plan(item))
            {
                case Delivery.Link:
                    messages.Add(new OutMessage { Kind = OutKind.SendText, Text = t("result.too_large", [caption, links.Absolute(item.DownloadPath)]) });
                    break;
                case Delivery.Video:
                    messages.Add(new OutMessage { Kind = OutKind.SendVideo, Result = file, Text = caption });
                    break;
                case Delivery.PhotoAndDocument:
                    messages.Add(new OutMessage { Kind = OutKind.SendPhoto, Result = file, Text = caption });
                    messages.Add(new OutMessage { Kind = OutKind.SendDocument, Result = file });
                    break;
                case Delivery.PreviewAndDocument:
                    // The document carries everything: if no preview can be made, nothing is missing but the picture.
                    messages.Add(new OutMessage { Kind = OutKind.SendPhoto, Result = file with { Preview = true } });
                    messages.Add(new OutMessage { Kind = OutKind.SendDocument, Result = file, Text = WithSize(t, caption, item) });
                    break;
                default:
                    messages.Add(new OutMessage { Kind = OutKind.SendDocument, Result = file, Text = caption });
                    break;
            }
        }

        if (messages.Count == 0)
        {
            messages.Add(new OutMessage { Kind = OutKind.SendText, Text = caption });
        }

        // The actions go under the last message, where the user looks next.
        messages[^1] = messages[^1] with { Inline = buttons };
        return messages;
    }

    /// <summary>How one file can reach the user within Telegram's upload limits.</summary>
    public static Delivery Plan(MediaRef item) =>
        item.SizeBytes > MaxUploadBytes ? Delivery.Link
        : item.MimeType.StartsWith("video/", StringComparison.Ordinal) ? Delivery.Video
        : FitsPhoto(item) ? Delivery.PhotoAndDocument
        : item.MimeType.StartsWith("image/", StringComparison.Ordinal) ? Delivery.PreviewAndDocument
        : Delivery.Document;

    public static InlineButton[][] Buttons(Func<string, object?[], string> t, string jobId, GenerationKind kind) => kind switch
    {
        GenerationKind.VideoTools => [[new(t("videotools.another", []), Features.VideoToolsFlow.AgainCallback)], [new(t("button.menu", []), Keyboards.MenuCallback)]],
        GenerationKind.TryOn => Features.TryOnFlow.ResultButtons(t, jobId),
        _ => [
        [new(t("result.again", []), $"{CallbackPrefix}:{Actions.Again}:{jobId}"), new(t("result.new_prompt", []), $"{CallbackPrefix}:{Actions.NewPrompt}:{jobId}")],
        .. kind is GenerationKind.TextToImage or GenerationKind.ImageToImage
            ? [new InlineButton[] { new(t("result.edit", []), $"{CallbackPrefix}:{Actions.Edit}:{jobId}"), new(t("result.animate", []), $"{CallbackPrefix}:{Actions.Animate}:{jobId}") }]
            : Array.Empty<InlineButton[]>(),
        [new(t("button.menu", []), Keyboards.MenuCallback)],
        ],
    };

    /// <summary>Telegram photos: an image of at most 10 MB, width + height at most 10000 px, side ratio at most 20.</summary>
    private static bool FitsPhoto(MediaRef item) =>
        item.MimeType.StartsWith("image/", StringComparison.Ordinal)
        && item.SizeBytes <= MaxPhotoBytes
        && item.Width + item.Height <= 10_000
        && (item.Width == 0 || item.Height == 0 || Math.Max(item.Width, item.Height) <= 20 * Math.Min(item.Width, item.Height));

    /// <summary>The caption plus the original's real size, e.g. "4096×4096 px, 14.3 MB".</summary>
    private static string WithSize(Func<string, object?[], string> t, string caption, MediaRef item)
    {
        var megabytes = (item.SizeBytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        var size = item.Width > 0 && item.Height > 0 ? t("result.original_size", [item.Width, item.Height, megabytes]) : t("result.original_bytes", [megabytes]);
        var shortened = caption.Length + size.Length + 1 <= MaxCaption ? caption : caption[..Math.Max(0, MaxCaption - size.Length - 2)] + "…";
        return shortened + "\n" + size;
    }

    /// <summary>The name the user sees on a document or video: <c>nanobanana-&lt;job&gt;[-n].&lt;ext&gt;</c>.</summary>
    private static string FileName(string jobId, MediaRef item, int index, int count)
    {
        var extension = item.MimeType switch
        {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            "video/mp4" => "mp4",
            "application/x-subrip" => "srt",
            _ => "bin",
        };
        var job = jobId.Length > 12 ? jobId[^12..] : jobId;
        return count > 1 ? $"nanobanana-{job}-{index + 1}.{extension}" : $"nanobanana-{job}.{extension}";
    }

    /// <summary>Model, prompt, cost and any partial delivery; the prompt is shortened so the caption fits Telegram's 1024 characters.</summary>
    private static string Caption(Func<string, object?[], string> t, string modelName, string prompt, long cost, string partial)
    {
        var room = MaxCaption - t("result.caption", [modelName, "", cost]).Length - partial.Length;
        var shown = prompt.Length <= room ? prompt : string.Concat(prompt.AsSpan(0, Math.Max(0, room - 1)), "…");
        return t("result.caption", [modelName, shown, cost]) + partial;
    }

    /// <summary>"3 of 4 images …, 15 credits back" when the provider withheld some of the images asked for; empty otherwise.</summary>
    private static string PartialLine(Func<string, object?[], string> t, int requestedImages, long released, List<MediaRef> items)
    {
        var delivered = items.Count(m => m.MimeType.StartsWith("image/", StringComparison.Ordinal));
        return requestedImages > 1 && delivered < requestedImages
            ? "\n" + t("money.partial_delivery", [delivered, requestedImages, released])
            : string.Empty;
    }
}

internal enum Delivery
{
    /// <summary>A preview photo, then the original as a document.</summary>
    PhotoAndDocument,

    /// <summary>An image outside the photo rules (over 10 MB, or width + height over 10 000): a scaled-down photo, then the original as a document.</summary>
    PreviewAndDocument,

    /// <summary>Only a document: a file that is not an image.</summary>
    Document,

    Video,

    /// <summary>Over every upload limit: a text with the download link.</summary>
    Link,
}
