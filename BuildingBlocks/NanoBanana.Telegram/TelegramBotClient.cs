using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NanoBanana.Telegram.Exceptions;
using NanoBanana.Telegram.Requests;
using NanoBanana.Telegram.Serialization;
using NanoBanana.Telegram.Types;

namespace NanoBanana.Telegram;

/// <summary>
/// Bot API client over one <see cref="HttpClient"/> (its own Timeout should be infinite or longer than
/// the long-poll time: per-request limits come from <see cref="TelegramBotClientOptions.RequestTimeout"/>).
/// Error messages never include the request URL, because it contains the token. No retries here:
/// 429 handling belongs to the outbound sender.
/// </summary>
public sealed class TelegramBotClient(TelegramBotClientOptions options, HttpClient? httpClient = null) : ITelegramBotClient
{
    private readonly HttpClient _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

    public TelegramBotClient(string token, HttpClient? httpClient = null)
        : this(new TelegramBotClientOptions(token), httpClient)
    {
    }

    public long BotId => options.BotId;

    public TelegramBotClientOptions Options => options;

    public async Task<TResponse> SendRequest<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, options.MethodUrl(request.MethodName))
        {
            Content = request.ToHttpContent(),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter((message.Content is MultipartFormDataContent ? options.UploadTimeout : options.RequestTimeout) + request.ServerHoldTime);

        using var response = await Send(message, request.MethodName, timeout.Token, cancellationToken);
        var envelope = await ReadEnvelope<TResponse>(response, request.MethodName, timeout.Token, cancellationToken);
        if (envelope is null)
        {
            throw new RequestException($"{request.MethodName}: unreadable response (HTTP {(int)response.StatusCode}).", response.StatusCode);
        }

        if (!envelope.Ok)
        {
            throw new ApiRequestException(
                envelope.Description ?? $"{request.MethodName} failed",
                envelope.ErrorCode ?? (int)response.StatusCode,
                envelope.Parameters);
        }

        if (envelope.Result is null)
        {
            throw new RequestException($"{request.MethodName}: ok response without a result.", response.StatusCode);
        }

        return envelope.Result;
    }

    public async Task DownloadFile(string filePath, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Get, options.FileUrl(filePath));
        using var response = await Send(message, "file download", timeout.Token, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var envelope = await ReadEnvelope<bool>(response, "file download", timeout.Token, cancellationToken);
            throw envelope is { Ok: false }
                ? new ApiRequestException(envelope.Description ?? "file download failed", envelope.ErrorCode ?? (int)response.StatusCode, envelope.Parameters)
                : new RequestException($"file download failed with HTTP {(int)response.StatusCode}.", response.StatusCode);
        }

        try
        {
            await response.Content.CopyToAsync(destination, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RequestException($"file download timed out after {options.RequestTimeout.TotalSeconds:0.#} s.", HttpStatusCode.RequestTimeout, e);
        }
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage message, string what, CancellationToken timeout, CancellationToken caller)
    {
        try
        {
            return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout);
        }
        catch (OperationCanceledException e) when (!caller.IsCancellationRequested)
        {
            throw new RequestException($"{what} timed out.", HttpStatusCode.RequestTimeout, e);
        }
        catch (HttpRequestException e)
        {
            // The inner exception can carry the URL, hence the token: keep only its kind.
            throw new RequestException($"{what}: network error ({e.HttpRequestError}).");
        }
    }

    private static async Task<ApiResponse<T>?> ReadEnvelope<T>(HttpResponseMessage response, string what, CancellationToken timeout, CancellationToken caller)
    {
        var typeInfo = (JsonTypeInfo<ApiResponse<T>>)TelegramJsonContext.Default.GetTypeInfo(typeof(ApiResponse<T>))!;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout);
            return await JsonSerializer.DeserializeAsync(body, typeInfo, timeout);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (OperationCanceledException e) when (!caller.IsCancellationRequested)
        {
            throw new RequestException($"{what} timed out while reading the response.", HttpStatusCode.RequestTimeout, e);
        }
    }
}
