using NanoBanana.Telegram.Requests;

namespace NanoBanana.Telegram;

/// <summary>The Bot API transport, shaped like Telegram.Bot's so a swap stays mechanical; methods are extensions.</summary>
public interface ITelegramBotClient
{
    long BotId { get; }

    /// <exception cref="Exceptions.ApiRequestException">The Bot API answered with an error.</exception>
    /// <exception cref="Exceptions.RequestException">No usable answer (network, timeout, malformed body).</exception>
    Task<TResponse> SendRequest<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default);

    /// <summary>Copies a file obtained with getFile into <paramref name="destination"/>.</summary>
    Task DownloadFile(string filePath, Stream destination, CancellationToken cancellationToken = default);
}
