using Telegram.Bot.Types;

namespace NanoBanana.Bot.Conversation;

internal enum IncomingKind
{
    Command,
    Text,
    Photo,
    Callback,

    /// <summary>A video or a document (see <see cref="Incoming.File"/>).</summary>
    File,
    Other,
}

/// <summary>A file the user sent: as a video (<paramref name="AsVideo"/>) or as a document.</summary>
internal sealed record IncomingFile(string FileId, string? FileName, string? MimeType, long? Size, bool AsVideo);

/// <summary>An update reduced to what the conversation reacts to.</summary>
internal sealed record Incoming(IncomingKind Kind, long UpdateId, Update Update)
{
    /// <summary>Commands: the name without the slash (and without @bot).</summary>
    public string Command { get; init; } = "";

    /// <summary>Commands: the text after the name; Text: the text.</summary>
    public string Argument { get; init; } = "";

    public string? CallbackData { get; init; }

    public string? CallbackQueryId { get; init; }

    /// <summary>Callbacks: the action of data shaped <c>prefix:action:argument</c> ("" when absent).</summary>
    public string CallbackAction => CallbackPart(1);

    /// <summary>Callbacks: the argument of data shaped <c>prefix:action:argument</c> ("" when absent; may contain ':').</summary>
    public string CallbackArgument => CallbackPart(2);

    /// <summary>Callbacks: the message carrying the button.</summary>
    public int? MessageId { get; init; }

    public string? PhotoFileId { get; init; }

    public string? MediaGroupId { get; init; }

    public IncomingFile? File { get; init; }

    public User? From => Update.Message?.From ?? Update.CallbackQuery?.From ?? Update.PreCheckoutQuery?.From ?? Update.MyChatMember?.From ?? Update.Subscription?.User;

    private string CallbackPart(int index)
    {
        var parts = (CallbackData ?? "").Split(':', 3);
        return parts.Length > index ? parts[index] : "";
    }

    public static Incoming Parse(long updateId, Update update)
    {
        if (update.CallbackQuery is { } callback)
        {
            return new Incoming(IncomingKind.Callback, updateId, update)
            {
                CallbackData = callback.Data ?? "",
                CallbackQueryId = callback.Id,
                MessageId = callback.Message?.Id,
            };
        }

        if (update.Message is { } message)
        {
            if (message.Photo is { Length: > 0 } photo)
            {
                return new Incoming(IncomingKind.Photo, updateId, update)
                {
                    PhotoFileId = photo[^1].FileId,
                    MediaGroupId = message.MediaGroupId,
                    Argument = message.Caption ?? "",
                };
            }

            if (message.Video is { } video)
            {
                return new Incoming(IncomingKind.File, updateId, update) { File = new IncomingFile(video.FileId, video.FileName, video.MimeType, video.FileSize, AsVideo: true) };
            }

            if (message.Document is { } document)
            {
                return new Incoming(IncomingKind.File, updateId, update) { File = new IncomingFile(document.FileId, document.FileName, document.MimeType, document.FileSize, AsVideo: false) };
            }

            if (message.Text is { Length: > 0 } text)
            {
                if (text[0] == '/')
                {
                    var space = text.IndexOf(' ', StringComparison.Ordinal);
                    var name = space < 0 ? text[1..] : text[1..space];
                    var at = name.IndexOf('@', StringComparison.Ordinal);
                    return new Incoming(IncomingKind.Command, updateId, update)
                    {
                        Command = (at < 0 ? name : name[..at]).ToLowerInvariant(),
                        Argument = space < 0 ? "" : text[(space + 1)..].Trim(),
                    };
                }

                return new Incoming(IncomingKind.Text, updateId, update) { Argument = text.Trim() };
            }
        }

        return new Incoming(IncomingKind.Other, updateId, update);
    }
}
