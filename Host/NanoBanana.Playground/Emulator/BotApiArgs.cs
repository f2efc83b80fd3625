using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>
/// Parameters of one Bot API call, from the query string, a JSON body, a urlencoded form or a
/// multipart form; like the real server, every value is held as text and objects as JSON text.
/// </summary>
internal sealed class BotApiArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Dictionary<string, (byte[] Content, string? FileName)> Files { get; } = new(StringComparer.Ordinal);

    public static async Task<BotApiArgs> Read(HttpRequest request, CancellationToken cancellationToken)
    {
        var args = new BotApiArgs();
        foreach (var (key, value) in request.Query)
        {
            args._values[key] = value.ToString();
        }

        if (request.HasJsonContentType())
        {
            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            }
            catch (JsonException)
            {
                throw BotApiException.BadRequest("can't parse JSON object");
            }

            using (body)
            {
                if (body.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw BotApiException.BadRequest("can't parse JSON object");
                }

                foreach (var property in body.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        args._values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                    }
                }
            }
        }
        else if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                                      || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
            {
                // Over the server's body limit (Kestrel) or the multipart limits: Telegram answers 413 in its envelope.
                throw new BotApiException(413, "Request Entity Too Large");
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw BotApiException.BadRequest("can't parse multipart/form-data");
            }

            foreach (var (key, value) in form)
            {
                args._values[key] = value.ToString();
            }

            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                args.Files[file.Name] = (buffer.ToArray(), file.FileName);
            }
        }

        return args;
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } value ? value : throw BotApiException.BadRequest($"{name} is empty");

    public long? Long(string name) => String(name) is { } text
        ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw BotApiException.BadRequest($"{name} is not a number")
        : null;

    public int? Int(string name) => Long(name) is { } value ? value is >= int.MinValue and <= int.MaxValue ? (int)value : throw BotApiException.BadRequest($"{name} is out of range") : null;

    public bool Bool(string name) => String(name) is { } text && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>A private chat is addressed by the user's id; @usernames are not emulated.</summary>
    public long ChatId(string name = "chat_id") => Long(name) ?? throw BotApiException.BadRequest($"{name} is empty");

    public T? Json<T>(string name, JsonTypeInfo<T> typeInfo)
    {
        if (String(name) is not { Length: > 0 } text)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(text, typeInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw BotApiException.BadRequest($"can't parse {name} JSON object");
        }
    }

    public ReplyParameters? ReplyParameters() => Json("reply_parameters", JsonBotSerializerContext.Default.ReplyParameters);
}
