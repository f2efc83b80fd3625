using System.Text.Json;
using System.Text.Json.Serialization;
using NanoBanana.Telegram.Types;

namespace NanoBanana.Telegram.Serialization;

/// <summary>Telegram dates are Unix seconds.</summary>
public sealed class UnixDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64()).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)).ToUnixTimeSeconds());
}

public sealed class NullableUnixDateTimeConverter : JsonConverter<DateTime?>
{
    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetInt64() is var seconds && seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteNumberValue(new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)).ToUnixTimeSeconds());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

public sealed class ChatIdConverter : JsonConverter<ChatId>
{
    public override ChatId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? new ChatId(reader.GetInt64()) : new ChatId(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, ChatId value, JsonSerializerOptions options)
    {
        if (value.Identifier is { } id)
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteStringValue(value.Username);
        }
    }
}

/// <summary>An input file is a string on the wire: file_id, URL, or <c>attach://name</c> for an uploaded part.</summary>
public sealed class InputFileConverter : JsonConverter<InputFile>
{
    public const string AttachPrefix = "attach://";

    public override InputFile Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        InputFile.FromString(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, InputFile value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            InputFileId id => id.Id,
            InputFileUrl url => url.Url.AbsoluteUri,
            InputFileStream stream => AttachPrefix + stream.AttachName,
            _ => throw new JsonException($"Unsupported input file {value.GetType().Name}."),
        });
}
