using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NanoBanana.Telegram.Serialization;
using NanoBanana.Telegram.Types;

namespace NanoBanana.Telegram.Requests;

/// <summary>A Bot API method call returning <typeparamref name="TResponse"/>.</summary>
public interface IRequest<TResponse>
{
    string MethodName { get; }

    /// <summary>Time the server may legitimately hold the request (long polling), added to the client's timeout.</summary>
    TimeSpan ServerHoldTime { get; }

    HttpContent ToHttpContent();
}

/// <summary>A request sent as a JSON body with its properties in snake_case.</summary>
public abstract class RequestBase<TResponse>(string methodName) : IRequest<TResponse>
{
    [JsonIgnore]
    public string MethodName { get; } = methodName;

    [JsonIgnore]
    public virtual TimeSpan ServerHoldTime => TimeSpan.Zero;

    public virtual HttpContent ToHttpContent()
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(this, TypeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private protected JsonTypeInfo TypeInfo => TelegramJsonContext.Default.GetTypeInfo(GetType())
        ?? throw new InvalidOperationException($"{GetType().Name} is not registered in {nameof(TelegramJsonContext)}.");
}

/// <summary>
/// A request that may carry new files: sent as JSON when every file is a file_id or URL, otherwise as
/// multipart/form-data with top-level files under their field name and album files under
/// <c>attach://fileN</c> parts.
/// </summary>
public abstract class FileRequestBase<TResponse>(string methodName) : RequestBase<TResponse>(methodName)
{
    /// <summary>Top-level file fields by their wire name.</summary>
    private protected virtual IEnumerable<(string Field, InputFile? File)> TopLevelFiles => [];

    /// <summary>Files referenced from inside JSON values (album items).</summary>
    private protected virtual IEnumerable<InputFile?> AttachedFiles => [];

    public override HttpContent ToHttpContent()
    {
        var topLevel = TopLevelFiles.Where(f => f.File is InputFileStream).ToList();
        var attached = AttachedFiles.OfType<InputFileStream>().ToList();
        if (topLevel.Count == 0 && attached.Count == 0)
        {
            return base.ToHttpContent();
        }

        for (var i = 0; i < attached.Count; i++)
        {
            attached[i].AttachName = $"file{i}";
        }

        var fields = JsonSerializer.SerializeToNode(this, TypeInfo)!.AsObject();
        var form = new MultipartFormDataContent();
        foreach (var (field, file) in topLevel)
        {
            fields.Remove(field);
            AddFile(form, field, (InputFileStream)file!);
        }

        foreach (var file in attached)
        {
            AddFile(form, file.AttachName, file);
        }

        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                continue;
            }

            var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            form.Add(new StringContent(text), name);
        }

        return form;
    }

    private static void AddFile(MultipartFormDataContent form, string name, InputFileStream file)
    {
        var part = new StreamContent(file.Content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, name, file.FileName ?? name);
    }
}
