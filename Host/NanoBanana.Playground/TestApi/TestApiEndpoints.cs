using NanoBanana.Playground.Emulator;

namespace NanoBanana.Playground.TestApi;

/// <summary>
/// The user's side of the chat over HTTP (used by the web chat and by conversation tests), plus
/// fault injection. Errors answer <c>{error}</c> with a 4xx status.
/// </summary>
internal static class TestApiEndpoints
{
    public static void MapTestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (BotApiException e)
            {
                return Results.Json(new ErrorBody(e.Message), statusCode: e.ErrorCode);
            }
        });

        api.MapGet("/bot", (BotApiEmulator emulator) => emulator.BotInfo());
        api.MapPost("/users", (UserRequest request, BotApiEmulator emulator) =>
            emulator.Transcript(emulator.EnsureUser(request.Id, request.FirstName, request.LanguageCode, request.Username).User.Id).User);
        api.MapPost("/users/{userId:long}/stars", (long userId, StarsRequest request, BotApiEmulator emulator) =>
        {
            emulator.SetStars(userId, request.Stars);
            return new { stars = emulator.StarsOf(userId) };
        });
        api.MapPost("/users/{userId:long}/blocked", (long userId, BlockedRequest request, BotApiEmulator emulator) =>
        {
            emulator.UserSetsBlocked(userId, request.Blocked);
            return Results.NoContent();
        });

        api.MapPost("/chats/{userId:long}/messages", (long userId, TextRequest request, BotApiEmulator emulator) =>
            new SentBody([emulator.UserSendsText(userId, request.Text, request.ReplyToMessageId).Id]));
        api.MapPost("/chats/{userId:long}/photos", async (long userId, HttpRequest request, BotApiEmulator emulator) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var photos = await ReadFiles(form.Files);
            return new SentBody([.. emulator.UserSendsPhotos(userId, photos, form["caption"].FirstOrDefault()).Select(m => m.Id)]);
        }).DisableAntiforgery();
        api.MapPost("/chats/{userId:long}/documents", async (long userId, HttpRequest request, BotApiEmulator emulator) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var file = (await ReadFiles(form.Files)).FirstOrDefault();
            return file.Content is null
                ? Results.Json(new ErrorBody("attach one file"), statusCode: 400)
                : Results.Json(new SentBody([emulator.UserSendsDocument(userId, file.Content, file.FileName, form["caption"].FirstOrDefault()).Id]));
        }).DisableAntiforgery();
        api.MapPost("/chats/{userId:long}/videos", async (long userId, HttpRequest request, BotApiEmulator emulator) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var file = (await ReadFiles(form.Files)).FirstOrDefault();
            return file.Content is null
                ? Results.Json(new ErrorBody("attach one file"), statusCode: 400)
                : Results.Json(new SentBody([emulator.UserSendsVideo(userId, file.Content, file.FileName, form["caption"].FirstOrDefault()).Id]));
        }).DisableAntiforgery();
        api.MapPost("/chats/{userId:long}/callbacks", (long userId, CallbackRequest request, BotApiEmulator emulator) =>
            new { callback_query_id = emulator.UserPressesButton(userId, request.MessageId, request.CallbackData) });
        api.MapPost("/chats/{userId:long}/payments", (long userId, PaymentRequest request, BotApiEmulator emulator, CancellationToken ct) =>
            emulator.Pay(userId, request.MessageId, request.InvoiceLink, ct));
        // Telegram bills the next period of the subscription that charge paid (a renewal, at once instead of in 30 days).
        api.MapPost("/chats/{userId:long}/subscription-renewals", (long userId, RenewalRequest request, BotApiEmulator emulator) =>
            emulator.RenewSubscription(userId, request.TelegramPaymentChargeId));
        // The user cancels or re-enables the subscription in Telegram, or a renewal payment fails: a `subscription` update.
        api.MapPost("/chats/{userId:long}/subscription-updates", (long userId, SubscriptionUpdateRequest request, BotApiEmulator emulator) =>
            new { ok = emulator.ChangeSubscription(userId, request.TelegramPaymentChargeId, request.State) });
        api.MapPost("/chats/{userId:long}/web-app-data", (long userId, WebAppDataRequest request, BotApiEmulator emulator) =>
            new SentBody([emulator.UserSendsWebAppData(userId, request.Data, request.ButtonText ?? "Open").Id]));

        // Long poll: answers at once when the state is newer than ?after, else waits up to ?timeout seconds.
        api.MapGet("/chats/{userId:long}/transcript", async (long userId, long? after, int? timeout, BotApiEmulator emulator, CancellationToken ct) =>
        {
            if (after is { } seen)
            {
                await emulator.Signal.WaitFor(() => emulator.Version > seen ? emulator : null, TimeSpan.FromSeconds(Math.Clamp(timeout ?? 25, 0, 60)), ct);
            }

            return emulator.Transcript(userId);
        });
        api.MapPost("/chats/{userId:long}/wait", async (long userId, WaitRequest request, BotApiEmulator emulator, CancellationToken ct) =>
        {
            var timeout = TimeSpan.FromMilliseconds(Math.Clamp(request.TimeoutMs ?? 10_000, 0, 120_000));
            var match = await emulator.Signal.WaitFor(() => Match(emulator.Transcript(userId), request), timeout, ct);
            return match is null
                ? Results.Json(new ErrorBody("the condition was not met in time"), statusCode: StatusCodes.Status408RequestTimeout)
                : Results.Json(match);
        });

        api.MapGet("/webapp/launch", (long userId, string url, string? startParam, BotApiEmulator emulator, TimeProvider clock) =>
        {
            var user = emulator.EnsureUser(userId).User;
            var initData = InitData.Sign(emulator.Token, user, clock.GetUtcNow(), startParam);
            var theme = "{\"bg_color\":\"#ffffff\",\"text_color\":\"#000000\",\"button_color\":\"#3390ec\",\"button_text_color\":\"#ffffff\"}";
            var launch = $"{url}#tgWebAppData={Uri.EscapeDataString(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=web&tgWebAppThemeParams={Uri.EscapeDataString(theme)}";
            return new { url = launch, init_data = initData };
        });

        api.MapGet("/faults", (BotApiEmulator emulator) => emulator.Faults);
        api.MapPut("/faults", (FaultSettings faults, BotApiEmulator emulator) =>
        {
            emulator.SetFaults(faults);
            return emulator.Faults;
        });
        api.MapDelete("/faults", (BotApiEmulator emulator) =>
        {
            emulator.SetFaults(new FaultSettings());
            return Results.NoContent();
        });

        api.MapGet("/files/{fileId}", (string fileId, BotApiEmulator emulator) =>
            emulator.FindFile(fileId) is { } file ? Results.Bytes(file.Content, file.MimeType) : Results.NotFound());
    }

    private static WaitMatch? Match(TranscriptView transcript, WaitRequest request)
    {
        var from = request.From ?? "bot";
        var message = transcript.Messages.FirstOrDefault(m =>
            m.From == from && !m.Deleted && m.MessageId > (request.AfterMessageId ?? 0)
            && (request.TextContains is null || (m.Text ?? m.Caption ?? "").Contains(request.TextContains, StringComparison.Ordinal))
            && m.EditCount >= (request.MinEditCount ?? 0)
            && (request.MessageId is null || m.MessageId == request.MessageId));
        var answer = request.CallbackQueryId is { } id ? transcript.CallbackAnswers.FirstOrDefault(a => a.CallbackQueryId == id) : null;
        var satisfied = (request.CallbackQueryId is null || answer is not null)
            && (message is not null || (request.CallbackQueryId is not null && request.TextContains is null && request.MessageId is null));
        return satisfied ? new WaitMatch(message, answer, transcript.Version) : null;
    }

    private static async Task<List<(byte[] Content, string? FileName)>> ReadFiles(IFormFileCollection files)
    {
        var read = new List<(byte[], string?)>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            read.Add((buffer.ToArray(), file.FileName));
        }

        return read;
    }
}

internal sealed record ErrorBody(string Error);

internal sealed record SentBody(int[] MessageIds);

internal sealed record UserRequest(long Id, string? FirstName, string? LanguageCode, string? Username);

internal sealed record StarsRequest(int Stars);

internal sealed record BlockedRequest(bool Blocked);

internal sealed record TextRequest(string Text, int? ReplyToMessageId);

internal sealed record CallbackRequest(int MessageId, string CallbackData);

internal sealed record PaymentRequest(int? MessageId, string? InvoiceLink);

internal sealed record RenewalRequest(string TelegramPaymentChargeId);

internal sealed record SubscriptionUpdateRequest(string TelegramPaymentChargeId, string State);

internal sealed record WebAppDataRequest(string Data, string? ButtonText);

/// <summary>Waits for a message (by default from the bot) newer than after_message_id matching every given condition, and/or a callback answer.</summary>
internal sealed record WaitRequest(string? From, string? TextContains, int? AfterMessageId, int? MessageId, int? MinEditCount, string? CallbackQueryId, int? TimeoutMs);

internal sealed record WaitMatch(MessageView? Message, CallbackAnswer? CallbackAnswer, long Version);
