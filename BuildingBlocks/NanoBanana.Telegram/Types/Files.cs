using System.Text.Json.Serialization;

namespace NanoBanana.Telegram.Types;

public abstract class FileBase
{
    /// <summary>Identifier to download or re-send the file; specific to this bot.</summary>
    public string FileId { get; set; } = "";

    /// <summary>Stable across time and bots, but cannot download or re-send the file.</summary>
    public string FileUniqueId { get; set; } = "";

    /// <summary>Bytes; can exceed 2^31.</summary>
    public long? FileSize { get; set; }
}

public sealed class PhotoSize : FileBase
{
    public int Width { get; set; }

    public int Height { get; set; }
}

public sealed class Document : FileBase
{
    public PhotoSize? Thumbnail { get; set; }

    public string? FileName { get; set; }

    public string? MimeType { get; set; }
}

public sealed class Video : FileBase
{
    public int Width { get; set; }

    public int Height { get; set; }

    public int Duration { get; set; }

    public PhotoSize? Thumbnail { get; set; }

    public string? FileName { get; set; }

    public string? MimeType { get; set; }
}

/// <summary>A file ready to download from <c>{base}/file/bot&lt;token&gt;/&lt;file_path&gt;</c> (Telegram.Bot names it TGFile).</summary>
public sealed class TGFile : FileBase
{
    public string? FilePath { get; set; }
}

/// <summary>What to send as a file: an existing file_id, an HTTP URL, or new content uploaded with multipart.</summary>
[JsonConverter(typeof(Serialization.InputFileConverter))]
public abstract class InputFile
{
    public static InputFileId FromFileId(string fileId) => new(fileId);

    public static InputFileUrl FromUri(Uri url) => new(url);

    public static InputFileStream FromStream(Stream content, string? fileName = null) => new(content, fileName);

    /// <summary>A string is a file_id unless it is an absolute http(s) URL, as in the Bot API.</summary>
    public static InputFile FromString(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new InputFileUrl(url)
            : new InputFileId(value);

    public static implicit operator InputFile(string value) => FromString(value);

    public static implicit operator InputFile(Stream content) => FromStream(content);
}

public sealed class InputFileId(string id) : InputFile
{
    public string Id { get; } = id;
}

public sealed class InputFileUrl(Uri url) : InputFile
{
    public Uri Url { get; } = url;
}

public sealed class InputFileStream(Stream content, string? fileName = null) : InputFile
{
    public Stream Content { get; } = content;

    public string? FileName { get; } = fileName;

    /// <summary>The multipart part name this file is sent under; assigned when the request is built.</summary>
    internal string AttachName { get; set; } = "file";
}

/// <summary>One item of an album for sendMediaGroup; <c>type</c> selects the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(InputMediaPhoto), "photo")]
[JsonDerivedType(typeof(InputMediaVideo), "video")]
[JsonDerivedType(typeof(InputMediaDocument), "document")]
public abstract class InputMedia
{
    public InputFile Media { get; set; } = null!;

    public string? Caption { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ParseMode ParseMode { get; set; }
}

public sealed class InputMediaPhoto : InputMedia
{
    public InputMediaPhoto()
    {
    }

    public InputMediaPhoto(InputFile media) => Media = media;
}

public sealed class InputMediaVideo : InputMedia
{
    public InputMediaVideo()
    {
    }

    public InputMediaVideo(InputFile media) => Media = media;

    public int? Width { get; set; }

    public int? Height { get; set; }

    public int? Duration { get; set; }

    public bool? SupportsStreaming { get; set; }
}

public sealed class InputMediaDocument : InputMedia
{
    public InputMediaDocument()
    {
    }

    public InputMediaDocument(InputFile media) => Media = media;
}
