using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NanoBanana.Telegram.Serialization;
using NanoBanana.Telegram.Types;

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
                "getme" => Ok(emulator.Bot, TelegramJsonContext.Default.ApiResponseUser),
                "getupdates" => Ok(await emulator.GetUpdates(args, ct), TelegramJsonContext.Default.ApiResponseUpdateArray),
                "setwebhook" => Ok(emulator.SetWebhook(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "deletewebhook" => Ok(emulator.DeleteWebhook(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "getwebhookinfo" => Ok(emulator.GetWebhookInfo(), TelegramJsonContext.Default.ApiResponseWebhookInfo),
                "sendmessage" => Ok(emulator.SendMessage(args), TelegramJsonContext.Default.ApiResponseMessage),
                "editmessagetext" => Ok(emulator.EditMessageText(args), TelegramJsonContext.Default.ApiResponseMessage),
                "editmessagereplymarkup" => Ok(emulator.EditMessageReplyMarkup(args), TelegramJsonContext.Default.ApiResponseMessage),
                "deletemessage" => Ok(emulator.DeleteMessage(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "answercallbackquery" => Ok(emulator.AnswerCallbackQuery(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "sendphoto" => Ok(await emulator.SendFile("photo", args, ct), TelegramJsonContext.Default.ApiResponseMessage),
                "senddocument" => Ok(await emulator.SendFile("document", args, ct), TelegramJsonContext.Default.ApiResponseMessage),
                "sendvideo" => Ok(await emulator.SendFile("video", args, ct), TelegramJsonContext.Default.ApiResponseMessage),
                "sendmediagroup" => Ok(await emulator.SendMediaGroup(args, ct), TelegramJsonContext.Default.ApiResponseMessageArray),
                "sendchataction" => Ok(emulator.SendChatAction(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "getfile" => Ok(emulator.GetFile(args), TelegramJsonContext.Default.ApiResponseTGFile),
                "setmycommands" => Ok(emulator.SetMyCommands(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "setchatmenubutton" => Ok(emulator.SetChatMenuButton(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "sendinvoice" => Ok(emulator.SendInvoice(args), TelegramJsonContext.Default.ApiResponseMessage),
                "createinvoicelink" => Ok(emulator.CreateInvoiceLink(args), TelegramJsonContext.Default.ApiResponseString),
                "answerprecheckoutquery" => Ok(emulator.AnswerPreCheckoutQuery(args), TelegramJsonContext.Default.ApiResponseBoolean),
                "refundstarpayment" => Ok(emulator.RefundStarPayment(args), TelegramJsonContext.Default.ApiResponseBoolean),
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

        http.Response.ContentType = file.MimeType;
        http.Response.ContentLength = file.Content.LongLength;
        await http.Response.Body.WriteAsync(file.Content, http.RequestAborted);
    }

    private static byte[] Ok<T>(T result, JsonTypeInfo<ApiResponse<T>> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(new ApiResponse<T> { Ok = true, Result = result }, typeInfo);

    private static Task WriteError(HttpContext http, BotApiException error)
    {
        // ApiResponse<string> leaves result out entirely, as Telegram's error envelope does.
        var envelope = new ApiResponse<string>
        {
            Ok = false,
            ErrorCode = error.ErrorCode,
            Description = error.Message,
            Parameters = error.RetryAfter is { } retryAfter ? new ResponseParameters { RetryAfter = retryAfter } : null,
        };
        if (error.RetryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Write(http, error.ErrorCode, JsonSerializer.SerializeToUtf8Bytes(envelope, TelegramJsonContext.Default.ApiResponseString));
    }

    private static async Task Write(HttpContext http, int status, byte[] json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(json, http.RequestAborted);
    }
}
