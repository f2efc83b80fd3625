using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>The Bot API wire surface: <c>/bot&lt;token&gt;/&lt;method&gt;</c> and <c>/file/bot&lt;token&gt;/&lt;path&gt;</c>.</summary>
internal static class BotApiEndpoints
{
    public static void MapBotApi(this IEndpointRouteBuilder app)
    {
        app.Map("/bot{token}/{method}", Invoke);
        app.MapGet("/file/bot{token}/{**path}", Download);
    }

    private static async Task Invoke(HttpContext http, string token, string method, BotApiEmulator emulator)
    {
        var ct = http.RequestAborted;
        try
        {
            if (!string.Equals(token, emulator.Token, StringComparison.Ordinal))
            {
                throw new BotApiException(401, "Unauthorized");
            }

            await emulator.ApplyFaults(method, ct);
            var args = await BotApiArgs.Read(http.Request, ct);
            var json = method.ToLowerInvariant() switch
            {
                "getme" => Ok(emulator.Bot, JsonBotSerializerContext.Default.ApiResponseUser),
                "getupdates" => Ok(await emulator.GetUpdates(args, ct), JsonBotSerializerContext.Default.ApiResponseUpdateArray),
                "setwebhook" => Ok(emulator.SetWebhook(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "deletewebhook" => Ok(emulator.DeleteWebhook(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "getwebhookinfo" => Ok(emulator.GetWebhookInfo(), JsonBotSerializerContext.Default.ApiResponseWebhookInfo),
                "sendmessage" => Ok(emulator.SendMessage(args), JsonBotSerializerContext.Default.ApiResponseMessage),
                "editmessagetext" => Ok(emulator.EditMessageText(args), JsonBotSerializerContext.Default.ApiResponseMessage),
                "editmessagereplymarkup" => Ok(emulator.EditMessageReplyMarkup(args), JsonBotSerializerContext.Default.ApiResponseMessage),
                "deletemessage" => Ok(emulator.DeleteMessage(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "answercallbackquery" => Ok(emulator.AnswerCallbackQuery(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "sendphoto" => Ok(await emulator.SendFile("photo", args, ct), JsonBotSerializerContext.Default.ApiResponseMessage),
                "senddocument" => Ok(await emulator.SendFile("document", args, ct), JsonBotSerializerContext.Default.ApiResponseMessage),
                "sendvideo" => Ok(await emulator.SendFile("video", args, ct), JsonBotSerializerContext.Default.ApiResponseMessage),
                "sendmediagroup" => Ok(await emulator.SendMediaGroup(args, ct), JsonBotSerializerContext.Default.ApiResponseMessageArray),
                "sendchataction" => Ok(emulator.SendChatAction(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "getfile" => Ok(emulator.GetFile(args), JsonBotSerializerContext.Default.ApiResponseTGFile),
                "setmycommands" => Ok(emulator.SetMyCommands(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "setchatmenubutton" => Ok(emulator.SetChatMenuButton(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "sendinvoice" => Ok(emulator.SendInvoice(args), JsonBotSerializerContext.Default.ApiResponseMessage),
                "createinvoicelink" => Ok(emulator.CreateInvoiceLink(args), JsonBotSerializerContext.Default.ApiResponseString),
                "answerprecheckoutquery" => Ok(emulator.AnswerPreCheckoutQuery(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "refundstarpayment" => Ok(emulator.RefundStarPayment(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                "edituserstarsubscription" => Ok(emulator.EditUserStarSubscription(args), JsonBotSerializerContext.Default.ApiResponseBoolean),
                _ => throw new BotApiException(404, "Not Found: method not found"),
            };
            await Write(http, StatusCodes.Status200OK, json);
        }
        catch (BotApiException e)
        {
            await WriteError(http, e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The bot went away (e.g. a long poll it abandoned); nothing to answer.
        }
    }

    private static async Task Download(HttpContext http, string token, string path, BotApiEmulator emulator)
    {
        var file = string.Equals(token, emulator.Token, StringComparison.Ordinal) ? emulator.FindFileByPath(path) : null;
        if (file is null)
        {
            await WriteError(http, new BotApiException(404, "Not Found"));
            return;
        }

        await emulator.HoldDownloadAsync(http.RequestAborted);
        http.Response.ContentType = file.MimeType;
        http.Response.ContentLength = file.Content.LongLength;
        await http.Response.Body.WriteAsync(file.Content, http.RequestAborted);
    }

    private static byte[] Ok<T>(T result, JsonTypeInfo<ApiResponse<T>> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(new ApiResponse<T> { Ok = true, Result = result }, typeInfo);

    /// <summary>The library's options leave a false <c>ok</c> out; Telegram's error envelope always has it.</summary>
    private static byte[] Error(Telegram.Bot.Exceptions.ApiResponse envelope)
    {
        var json = JsonSerializer.SerializeToNode(envelope, JsonBotSerializerContext.Default.ApiResponse)!.AsObject();
        json.Insert(0, "ok", false);
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    private static Task WriteError(HttpContext http, BotApiException error)
    {
        var envelope = new Telegram.Bot.Exceptions.ApiResponse
        {
            ErrorCode = error.ErrorCode,
            Description = error.Message,
            Parameters = error.RetryAfter is { } retryAfter ? new ResponseParameters { RetryAfter = retryAfter } : null,
        };
        if (error.RetryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Write(http, error.ErrorCode, Error(envelope));
    }

    private static async Task Write(HttpContext http, int status, byte[] json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(json, http.RequestAborted);
    }
}
