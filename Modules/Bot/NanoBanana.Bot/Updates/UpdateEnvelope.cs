using System.Text.Json;

namespace NanoBanana.Bot.Updates;

/// <summary>What ingest needs from a raw update: its id, the chat it belongs to and its kind.</summary>
internal readonly record struct UpdateEnvelope(long UpdateId, long ChatId, string Kind)
{
    /// <summary>Reads the envelope; null when the body is not a JSON object with a numeric update_id.</summary>
    public static UpdateEnvelope? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return From(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static UpdateEnvelope? From(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("update_id", out var id)
            || id.ValueKind != JsonValueKind.Number
            || !id.TryGetInt64(out var updateId))
        {
            return null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "update_id" || property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            return new UpdateEnvelope(updateId, ChatOf(property.Name, property.Value), property.Name);
        }

        return new UpdateEnvelope(updateId, 0, "unknown");
    }

    /// <summary>
    /// The private chat an update concerns: the message's chat, else the sender (callbacks without a message,
    /// pre-checkout), else the user it is about (a `subscription` update's <c>user</c>).
    /// </summary>
    private static long ChatOf(string kind, JsonElement body)
    {
        if (body.TryGetProperty("chat", out var chat) && Id(chat) is { } chatId)
        {
            return chatId;
        }

        if (kind == "callback_query" && body.TryGetProperty("message", out var message)
            && message.TryGetProperty("chat", out var messageChat) && Id(messageChat) is { } callbackChat)
        {
            return callbackChat;
        }

        if (body.TryGetProperty("from", out var from) && Id(from) is { } userId)
        {
            return userId;
        }

        return body.TryGetProperty("user", out var user) && Id(user) is { } subject ? subject : 0;
    }

    private static long? Id(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value : null;
}
