using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// getUpdates over plain HTTP. Telegram.Bot returns typed updates only, and serializing one again drops every field
/// the library does not know; this call hands out each update's JSON as Telegram sent it, so long polling stores
/// exactly what the webhook stores. A refusal surfaces as Telegram.Bot's <see cref="ApiRequestException"/> (with
/// <c>retry_after</c>), a transport failure as its <see cref="RequestException"/>: no retries here.
/// </summary>
internal sealed class LongPoll(HttpClient http, TelegramBotClientOptions client)
{
    /// <summary>How long one call may take: the poll's hold plus an ordinary call's limit.</summary>
    public TimeSpan Timeout => http.Timeout;

    /// <summary>The next updates from <paramref name="offset"/>, each as its raw JSON object.</summary>
    public async Task<IReadOnlyList<JsonElement>> GetUpdatesAsync(long? offset, int timeoutSeconds, UpdateType[] allowedUpdates, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["limit"] = 100,
            ["timeout"] = timeoutSeconds,
            ["allowed_updates"] = JsonSerializer.SerializeToNode(allowedUpdates, JsonBotSerializerContext.Default.UpdateTypeArray),
        };
        if (offset is { } next)
        {
            request["offset"] = next;
        }

        JsonDocument answer;
        try
        {
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(client.BaseRequestUrl + "/getUpdates", content, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            answer = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
                                              || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RequestException("getUpdates failed: " + exception.Message, exception);
        }

        using (answer)
        {
            var root = answer.RootElement;
            if (!root.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
            {
                var code = root.TryGetProperty("error_code", out var error) ? error.GetInt32() : 0;
                var description = root.TryGetProperty("description", out var text) ? text.GetString() ?? "" : "";
                var parameters = root.TryGetProperty("parameters", out var found) && found.TryGetProperty("retry_after", out var retryAfter)
                    ? new ResponseParameters { RetryAfter = retryAfter.GetInt32() }
                    : null;
                throw new ApiRequestException(description, code, parameters);
            }

            return [.. root.GetProperty("result").EnumerateArray().Select(update => update.Clone())];
        }
    }
}
