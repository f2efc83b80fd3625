using Microsoft.Extensions.Configuration;
using NanoBanana.Bot.Outbound;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// The messages that hand a finished job to the user. Files go by URL (Telegram fetches them):
/// photos up to 5 MB within Telegram's photo proportions as a preview plus the original as a
/// document, anything over the 20 MB Telegram fetches by URL as a link.
/// </summary>
internal sealed class ResultMessages(IConfiguration configuration)
{
    public const string CallbackPrefix = "res";

    /// <summary>Marks a reference photo that is a generated image (by media id) rather than a Telegram file_id.</summary>
    public const string GeneratedMediaPrefix = "media:";

    private const int MaxCaption = 1024;
    private const long MaxPhotoBytes = 5L * 1024 * 1024;
    private const long MaxUrlFileBytes = 20L * 1024 * 1024;

    /// <summary>Where Telegram fetches media: <c>Bot:MediaBaseUrl</c>, else Generation's public URL, else the Host's HTTP endpoint.</summary>
    private readonly string _baseUrl = (configuration["Bot:MediaBaseUrl"] is { Length: > 0 } bot ? bot
        : configuration["Generation:PublicBaseUrl"] is { Length: > 0 } generation ? generation
        : configuration["Kestrel:Endpoints:Http:Url"] ?? "http://127.0.0.1:5000").TrimEnd('/');

    public IReadOnlyList<OutMessage> Build(Func<string, object?[], string> t, string jobId, GenerationKind kind, string modelName, string prompt, long cost, IEnumerable<MediaRef> media)
    {
        var caption = Caption(t, modelName, prompt, cost);
        var buttons = Buttons(t, jobId, kind);
        var messages = new List<OutMessage>();
        foreach (var item in media)
        {
            var url = _baseUrl + item.DownloadPath;
            var isVideo = item.MimeType.StartsWith("video/", StringComparison.Ordinal);
            if (item.SizeBytes > MaxUrlFileBytes)
            {
                messages.Add(new OutMessage { Kind = OutKind.SendText, Text = t("result.too_large", [caption, url]) });
            }
            else if (isVideo)
            {
                messages.Add(new OutMessage { Kind = OutKind.SendVideo, File = url, Text = caption });
            }
            else
            {
                if (FitsPhoto(item))
                {
                    messages.Add(new OutMessage { Kind = OutKind.SendPhoto, File = url, Text = caption });
                }

                messages.Add(new OutMessage { Kind = OutKind.SendDocument, File = url, Text = FitsPhoto(item) ? null : caption });
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

    public static InlineButton[][] Buttons(Func<string, object?[], string> t, string jobId, GenerationKind kind) =>
    [
        [new(t("result.again", []), $"{CallbackPrefix}:a:{jobId}"), new(t("result.new_prompt", []), $"{CallbackPrefix}:p:{jobId}")],
        .. kind is GenerationKind.TextToImage or GenerationKind.ImageToImage
            ? [new InlineButton[] { new(t("result.animate", []), $"{CallbackPrefix}:v:{jobId}") }]
            : Array.Empty<InlineButton[]>(),
        [new(t("button.menu", []), Keyboards.MenuCallback)],
    ];

    /// <summary>Telegram photos: at most 10000 px width + height and a side ratio of at most 20.</summary>
    private static bool FitsPhoto(MediaRef item) =>
        item.SizeBytes <= MaxPhotoBytes
        && item.Width + item.Height <= 10_000
        && (item.Width == 0 || item.Height == 0 || Math.Max(item.Width, item.Height) <= 20 * Math.Min(item.Width, item.Height));

    /// <summary>Model, prompt and cost; the prompt is shortened so the caption fits Telegram's 1024 characters.</summary>
    private static string Caption(Func<string, object?[], string> t, string modelName, string prompt, long cost)
    {
        var room = MaxCaption - t("result.caption", [modelName, "", cost]).Length;
        var shown = prompt.Length <= room ? prompt : string.Concat(prompt.AsSpan(0, Math.Max(0, room - 1)), "…");
        return t("result.caption", [modelName, shown, cost]);
    }
}
