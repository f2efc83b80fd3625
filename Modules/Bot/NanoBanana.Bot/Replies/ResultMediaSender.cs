using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Persistence;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.BuildingBlocks.Persistence;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// Sends a generated file. When Telegram already holds it (a file_id stored from an earlier send of
/// the same media the same way), the file_id goes out and nothing is uploaded; otherwise, or when
/// Telegram rejects the stored file_id (400), the file is streamed from the Host's media endpoint
/// into a multipart upload, and the file_id of the answer is stored for next time.
/// </summary>
internal sealed partial class ResultMediaSender(
    SqlSession database,
    ITelegramBotClient bot,
    [FromKeyedServices(BotApiClients.Uploads)] ITelegramBotClient uploads,
    IHttpClientFactory httpClients,
    IConfiguration configuration,
    IOptions<BotOptions> options,
    ILogger<ResultMediaSender> logger)
{
    public const string HttpClientName = "bot-result-media";

    /// <summary>Where the sender reads generated files: <c>Bot:MediaFetchBaseUrl</c>, else the Host's own HTTP endpoint.</summary>
    private readonly Uri _fetchBase = new(LoopbackIfWildcard(configuration["Bot:MediaFetchBaseUrl"] is { Length: > 0 } fetch ? fetch
        : configuration["Kestrel:Endpoints:Http:Url"] ?? "http://127.0.0.1:5000").TrimEnd('/') + "/");

    public async Task<Message> SendAsync(long chatId, OutMessage message, ReplyMarkup? markup, CancellationToken cancellationToken)
    {
        var result = message.Result!;
        var kind = KindOf(message.Kind);
        if (await StoredFileIdAsync(result.MediaId, kind, cancellationToken) is { } fileId)
        {
            try
            {
                return await CallAsync(bot, chatId, message.Kind, InputFile.FromFileId(fileId), message, markup, cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 400)
            {
                // A file_id can stop working (another bot token, a file Telegram dropped): upload again.
                LogStaleFileId(logger, e, result.MediaId, kind);
                await ForgetAsync(result.MediaId, kind, fileId, cancellationToken);
            }
        }

        using var response = await FetchAsync(result, cancellationToken);
        await using var content = result.Preview
            ? new MemoryStream(await PreviewAsync(result, response, cancellationToken))
            : await response.Content.ReadAsStreamAsync(cancellationToken);
        var sent = await CallAsync(uploads, chatId, message.Kind, InputFile.FromStream(content, result.Preview ? "preview.jpg" : result.FileName), message, markup, cancellationToken);
        if (SentFile(sent, kind) is { } file)
        {
            await RememberAsync(result, kind, file, cancellationToken);
        }

        return sent;
    }

    /// <summary>A file_id send goes through the request-timeout client, an upload through the upload-timeout one (ADR 0077).</summary>
    private static Task<Message> CallAsync(ITelegramBotClient client, long chatId, OutKind kind, InputFile file, OutMessage m, ReplyMarkup? markup, CancellationToken ct) => kind switch
    {
        OutKind.SendPhoto => client.SendPhoto(chatId, file, caption: m.Text, replyMarkup: markup, cancellationToken: ct),
        OutKind.SendDocument => client.SendDocument(chatId, file, caption: m.Text, replyMarkup: markup, cancellationToken: ct),
        OutKind.SendVideo => client.SendVideo(chatId, file, caption: m.Text, replyMarkup: markup, supportsStreaming: true, cancellationToken: ct),
        _ => throw new InvalidOperationException($"{kind} carries no file."),
    };

    /// <summary>
    /// Opens the file for streaming (headers read, body not). A file the endpoint no longer has is
    /// permanent (<see cref="ResultMediaGoneException"/>); other failures are transient <see cref="RequestException"/>s.
    /// </summary>
    private async Task<HttpResponseMessage> FetchAsync(ResultFile result, CancellationToken cancellationToken)
    {
        // Only a path on our own media endpoint: a payload must not turn the sender into a fetcher of arbitrary URLs.
        if (!Uri.TryCreate(result.DownloadPath, UriKind.Relative, out var path) || !result.DownloadPath.StartsWith('/'))
        {
            throw new ResultMediaGoneException($"media {result.MediaId} has no usable download path");
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName)
                .GetAsync(new Uri(_fetchBase, path.OriginalString.TrimStart('/')), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RequestException($"media {result.MediaId}: the media endpoint is unreachable ({e.HttpRequestError}).");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        response.Dispose();
        throw response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
            ? new ResultMediaGoneException($"media {result.MediaId} is gone from the media endpoint")
            : new RequestException($"media {result.MediaId}: the media endpoint answered {(int)response.StatusCode}.", response.StatusCode);
    }

    /// <summary>
    /// A JPEG of the image within 2560 px on its long side (a Telegram photo shows no more), by ffmpeg. A failure is
    /// permanent for this message only: the document that follows carries the file and its caption.
    /// </summary>
    private async Task<byte[]> PreviewAsync(ResultFile result, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var original = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return await Ffmpeg.PipeAsync(
                options.Value.FfmpegPath,
                [
                    "-i", "pipe:0", "-frames:v", "1",
                    "-vf", "scale=w='min(2560,iw)':h='min(2560,ih)':force_original_aspect_ratio=decrease",
                    "-q:v", "3", "-f", "image2pipe", "-c:v", "mjpeg", "pipe:1",
                ],
                original,
                FfmpegLimits.OneOff,
                cancellationToken);
        }
        catch (FfmpegException e)
        {
            throw new ResultPreviewException($"media {result.MediaId}: no preview ({e.Message})");
        }
    }

    /// <summary>The file Telegram keeps for what was sent: the largest photo size, the document or the video.</summary>
    private static FileBase? SentFile(Message message, string kind) => kind switch
    {
        "photo" => message.Photo?.OrderBy(p => (long)p.Width * p.Height).ThenBy(p => p.FileSize ?? 0).LastOrDefault(),
        "video" => (FileBase?)message.Video ?? message.Document,
        _ => message.Document,
    };

    private async Task<string?> StoredFileIdAsync(string mediaId, string kind, CancellationToken cancellationToken)
    {
        await using var command = database.Command("SELECT file_id FROM bot.result_media_files WHERE media_id = $1 AND kind = $2");
        command.Parameters.AddWithValue(mediaId);
        command.Parameters.AddWithValue(kind);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task RememberAsync(ResultFile result, string kind, FileBase file, CancellationToken cancellationToken)
    {
        await using var command = database.Command("""
            INSERT INTO bot.result_media_files (media_id, kind, job_id, file_id, file_unique_id, file_size)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (media_id, kind) DO UPDATE
            SET file_id = excluded.file_id, file_unique_id = excluded.file_unique_id, file_size = excluded.file_size, stored_at = now()
            """);
        command.Parameters.AddWithValue(result.MediaId);
        command.Parameters.AddWithValue(kind);
        command.Parameters.AddWithValue(result.JobId);
        command.Parameters.AddWithValue(file.FileId);
        command.Parameters.AddWithValue(file.FileUniqueId);
        command.Parameters.AddWithValue((object?)file.FileSize ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Drops the rejected file_id unless a concurrent send already stored a new one.</summary>
    private async Task ForgetAsync(string mediaId, string kind, string fileId, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("DELETE FROM bot.result_media_files WHERE media_id = $1 AND kind = $2 AND file_id = $3", cancellationToken, mediaId, kind, fileId);
    }

    private static string KindOf(OutKind kind) => kind switch
    {
        OutKind.SendPhoto => "photo",
        OutKind.SendVideo => "video",
        OutKind.SendDocument => "document",
        _ => throw new InvalidOperationException($"{kind} carries no file."),
    };

    /// <summary>A listen address such as <c>http://0.0.0.0:5000</c> or <c>http://+:5000</c> is reached on loopback.</summary>
    private static string LoopbackIfWildcard(string url) =>
        url.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram refused the stored file_id of media {MediaId} ({Kind}); uploading again")]
    private static partial void LogStaleFileId(ILogger logger, Exception exception, string mediaId, string kind);
}

/// <summary>The generated file cannot be read any more (deleted by retention, or a malformed row); retrying cannot help.</summary>
internal sealed class ResultMediaGoneException(string message) : Exception(message);

/// <summary>The preview photo of an oversized image could not be made; the document with the original still goes.</summary>
internal sealed class ResultPreviewException(string message) : Exception(message);
