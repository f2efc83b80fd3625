using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// <c>POST /telegram/webhook</c>: checks the secret, stores the update and answers 200 at once;
/// processing happens later in the update workers (Telegram resends after ~60 s without a reply).
/// </summary>
internal static class WebhookEndpoint
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxBodyBytes = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext http, UpdateStore store, PreCheckoutAnswer preCheckout, IOptions<TelegramOptions> options)
    {
        var telegram = options.Value;
        if (!SecretMatches(telegram.WebhookSecret, http.Request.Headers[SecretHeader].ToString()))
        {
            return Results.Text("wrong secret token", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Results.Text("update too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadBodyAsync(http.Request.BodyReader, http.RequestAborted);
        if (body is null)
        {
            return Results.Text("update too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (UpdateEnvelope.TryRead(body) is not { } envelope)
        {
            return Results.Text("malformed update", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await store.StoreAsync(envelope, body, http.RequestAborted) && envelope.Kind == PreCheckoutAnswer.Kind)
        {
            preCheckout.AnswerInBackground(System.Text.Json.JsonSerializer.Deserialize(body, Telegram.Bot.JsonBotSerializerContext.Default.Update)!);
        }

        return Results.Ok();
    }

    /// <summary>Constant-time comparison; an unset secret accepts nothing (the webhook then is not in use).</summary>
    internal static bool SecretMatches(string expected, string presented) =>
        expected.Length > 0
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>The whole body, or null once it exceeds the limit (chunked bodies carry no Content-Length).</summary>
    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return body;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
