using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>Photos, documents, videos, albums and getFile, with Telegram's size limits.</summary>
internal sealed partial class BotApiEmulator
{
    private const long MaxPhotoBytes = 10L * 1024 * 1024;
    private const long MaxUploadBytes = 50L * 1024 * 1024;
    private const long MaxDownloadBytes = 20L * 1024 * 1024;
    private const long MaxUrlPhotoBytes = 5L * 1024 * 1024;
    private const long MaxUrlFileBytes = 20L * 1024 * 1024;
    private const string AttachPrefix = "attach://";

    private enum MediaKind
    {
        Photo,
        Video,
        Document,
    }

    public async Task<Message> SendFile(string field, BotApiArgs args, CancellationToken cancellationToken)
    {
        var kind = field switch { "photo" => MediaKind.Photo, "video" => MediaKind.Video, _ => MediaKind.Document };
        var caption = Caption(args.String("caption"));
        var markup = ParseReplyMarkup(args.String("reply_markup"));
        var input = await ReadInput(field, args.String(field), kind == MediaKind.Photo ? MaxUrlPhotoBytes : MaxUrlFileBytes, args, cancellationToken);
        lock (_gate)
        {
            var chat = BotTargetChat(args.ChatId());
            var message = NewMessage(chat, Bot);
            message.Caption = caption;
            Attach(message, kind, input);
            Complete(chat, message, args, markup);
            chat.Messages[^1].FileSource = input.Source;
            return message;
        }
    }

    public async Task<Message[]> SendMediaGroup(BotApiArgs args, CancellationToken cancellationToken)
    {
        var media = args.Json("media", JsonBotSerializerContext.Default.IEnumerableIAlbumInputMedia)?.Cast<InputMedia>().ToArray()
            ?? throw BotApiException.BadRequest("media is empty");
        if (media.Length is < 2 or > 10)
        {
            throw BotApiException.BadRequest("wrong number of media items: an album takes 2-10");
        }

        var documents = media.Count(m => m is InputMediaDocument);
        if (documents != 0 && documents != media.Length)
        {
            throw BotApiException.BadRequest("documents can't be mixed with other media types");
        }

        var inputs = new List<(InputMedia Media, ResolvedInput Input)>();
        foreach (var item in media)
        {
            var reference = item.Media switch
            {
                InputFileId id => id.Id,
                InputFileUrl url => url.Url.AbsoluteUri,
                // Telegram.Bot reads "attach://<name>" as a stream whose file name is the part name.
                InputFileStream { FileName: { Length: > 0 } part } => AttachPrefix + part,
                _ => throw BotApiException.BadRequest("wrong file identifier/HTTP URL specified"),
            };
            var maxUrlBytes = item is InputMediaPhoto ? MaxUrlPhotoBytes : MaxUrlFileBytes;
            inputs.Add((item, await ReadInput(null, reference, maxUrlBytes, args, cancellationToken)));
        }

        lock (_gate)
        {
            var chat = BotTargetChat(args.ChatId());
            var groupId = RandomGroupId();
            var messages = new List<Message>();
            foreach (var (item, input) in inputs)
            {
                var message = NewMessage(chat, Bot);
                message.MediaGroupId = groupId;
                message.Caption = Caption(item.Caption);
                Attach(message, item switch { InputMediaPhoto => MediaKind.Photo, InputMediaVideo => MediaKind.Video, _ => MediaKind.Document }, input);
                Complete(chat, message, args, markup: null);
                chat.Messages[^1].FileSource = input.Source;
                messages.Add(message);
            }

            return [.. messages];
        }
    }

    public TGFile GetFile(BotApiArgs args)
    {
        var file = FindFile(args.RequiredString("file_id")) ?? throw BotApiException.BadRequest("invalid file_id");
        if (file.Content.LongLength > MaxDownloadBytes)
        {
            throw BotApiException.BadRequest("file is too big");
        }

        return new TGFile { FileId = file.FileId, FileUniqueId = file.FileUniqueId, FileSize = file.Content.LongLength, FilePath = file.FilePath };
    }

    private static string? Caption(string? caption) =>
        caption is { Length: > MaxCaptionLength } ? throw BotApiException.BadRequest("message caption is too long") : caption;

    private static string RandomGroupId() => Random.Shared.NextInt64(10_000_000_000_000_000, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A file the bot referenced: an existing one by file_id, or new content (upload or URL); <see cref="Source"/> says which.</summary>
    private sealed record ResolvedInput(StoredFile? Existing, byte[]? Content, string? FileName, string Source);

    /// <summary>
    /// The file a send names. Like Telegram, a URL is fetched by the server with lower limits than an
    /// upload (5 MB for photos, 20 MB otherwise); a file_id needs no transfer at all.
    /// </summary>
    private async Task<ResolvedInput> ReadInput(string? field, string? reference, long maxUrlBytes, BotApiArgs args, CancellationToken cancellationToken)
    {
        if (field is not null && args.Files.TryGetValue(field, out var upload))
        {
            return upload.Content.LongLength > MaxUploadBytes
                ? throw new BotApiException(413, "Request Entity Too Large")
                : new ResolvedInput(null, upload.Content, upload.FileName, FileSources.Upload);
        }

        if (string.IsNullOrEmpty(reference))
        {
            throw BotApiException.BadRequest($"there is no {field ?? "media"} in the request");
        }

        if (reference.StartsWith(AttachPrefix, StringComparison.Ordinal))
        {
            return args.Files.TryGetValue(reference[AttachPrefix.Length..], out var attached)
                ? new ResolvedInput(null, attached.Content, attached.FileName, FileSources.Upload)
                : throw BotApiException.BadRequest("wrong file identifier/HTTP URL specified");
        }

        if (Uri.TryCreate(reference, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                using var response = await httpClients.CreateClient("fetch").GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > maxUrlBytes)
                {
                    throw BotApiException.BadRequest("failed to get HTTP URL content");
                }

                // Stop as soon as the body passes the limit: a body without Content-Length is capped too.
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > maxUrlBytes)
                    {
                        throw BotApiException.BadRequest("failed to get HTTP URL content");
                    }
                }

                return new ResolvedInput(null, buffer.ToArray(), Path.GetFileName(url.AbsolutePath), FileSources.Url);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw BotApiException.BadRequest("failed to get HTTP URL content");
            }
        }

        return FindFile(reference) is { } existing
            ? new ResolvedInput(existing, null, existing.FileName, FileSources.FileId)
            : throw BotApiException.BadRequest("wrong file identifier/HTTP URL specified");
    }

    /// <summary>Stores new content and fills the message's photo, video or document.</summary>
    private void Attach(Message message, MediaKind kind, ResolvedInput input)
    {
        var content = input.Existing?.Content ?? input.Content!;
        switch (kind)
        {
            case MediaKind.Photo:
                message.Photo = input.Existing is { } photo && ImageInfo.Read(photo.Content) is { } known
                    ? [ToPhotoSize(photo, known.Width, known.Height)]
                    : NewPhoto(content, input.FileName);
                break;
            case MediaKind.Video:
                if (content.LongLength > MaxUploadBytes)
                {
                    throw new BotApiException(413, "Request Entity Too Large");
                }

                var video = input.Existing ?? StoreFile(content, "videos", "mp4", "video/mp4", input.FileName);
                // A client reads the size and length from the file; one it cannot read gets a plausible default.
                var (width, height, seconds) = VideoInfo.Read(content) ?? (1280, 720, 1);
                message.Video = new Video
                {
                    FileId = video.FileId, FileUniqueId = video.FileUniqueId, FileSize = content.LongLength,
                    FileName = video.FileName, MimeType = video.MimeType, Width = width, Height = height, Duration = seconds,
                };
                break;
            default:
                if (content.LongLength > MaxUploadBytes)
                {
                    throw new BotApiException(413, "Request Entity Too Large");
                }

                var document = input.Existing ?? StoreFile(content, "documents", Extension(input.FileName, "bin"), MimeOf(input.FileName, content), input.FileName);
                message.Document = new Document
                {
                    FileId = document.FileId, FileUniqueId = document.FileUniqueId, FileSize = content.LongLength,
                    FileName = document.FileName, MimeType = document.MimeType,
                };
                break;
        }
    }

    /// <summary>
    /// Telegram stores several sizes of a photo; without an image library the emulator keeps the
    /// original bytes and lists a scaled-down entry first, so bots that pick the first size are caught
    /// by its dimensions while the last entry stays the largest.
    /// </summary>
    private PhotoSize[] NewPhoto(byte[] content, string? fileName)
    {
        if (content.LongLength > MaxPhotoBytes)
        {
            throw BotApiException.BadRequest("file is too big");
        }

        var image = ImageInfo.Read(content) ?? throw BotApiException.BadRequest("IMAGE_PROCESS_FAILED");
        if (image.Width + image.Height > 10_000 || Math.Max(image.Width, image.Height) > 20 * Math.Max(1, Math.Min(image.Width, image.Height)))
        {
            throw BotApiException.BadRequest("PHOTO_INVALID_DIMENSIONS");
        }

        var extension = image.MimeType.Split('/')[1].Replace("jpeg", "jpg", StringComparison.Ordinal);
        var original = StoreFile(content, "photos", extension, image.MimeType, fileName);
        var scale = Math.Min(1.0, 320.0 / Math.Max(image.Width, image.Height));
        if (scale >= 1.0)
        {
            return [ToPhotoSize(original, image.Width, image.Height)];
        }

        var preview = StoreFile(content, "photos", extension, image.MimeType, fileName, variant: "m");
        return
        [
            ToPhotoSize(preview, Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale))),
            ToPhotoSize(original, image.Width, image.Height),
        ];
    }

    private static PhotoSize ToPhotoSize(StoredFile file, int width, int height) => new()
    {
        FileId = file.FileId, FileUniqueId = file.FileUniqueId, FileSize = file.Content.LongLength, Width = width, Height = height,
    };

    private static string Extension(string? fileName, string fallback) =>
        Path.GetExtension(fileName) is { Length: > 1 } extension ? extension[1..].ToLowerInvariant() : fallback;

    private static string MimeOf(string? fileName, byte[] content) =>
        ImageInfo.Read(content)?.MimeType ?? Extension(fileName, "") switch
        {
            "mp4" => "video/mp4",
            "pdf" => "application/pdf",
            "txt" => "text/plain",
            _ => "application/octet-stream",
        };
}
