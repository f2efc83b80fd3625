using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Playground.Emulator;

/// <summary>A chat as the user sees it, for the web chat and conversation tests.</summary>
internal sealed partial class BotApiEmulator
{
    public TranscriptView Transcript(long userId)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            var chat = _chats[userId];
            var user = _users[userId];
            return new TranscriptView(
                _version,
                new UserView(user.User.Id, user.User.FirstName, user.User.Username, user.User.LanguageCode, user.Stars, user.BlockedBot),
                [.. chat.Messages.Select(ToView)],
                chat.ReplyKeyboard?.Keyboard.Select(row => row.Select(b => new KeyboardButtonView(b.Text, b.WebApp?.Url)).ToArray()).ToArray(),
                [.. chat.CallbackAnswers],
                chat.LastAction?.ToString(),
                ToView(chat.MenuButton ?? _defaultMenuButton),
                [.. (_commands.GetValueOrDefault(user.User.LanguageCode ?? "") ?? _commands.GetValueOrDefault("") ?? []).Select(c => new CommandView(c.Command, c.Description))]);
        }
    }

    public BotView BotInfo()
    {
        lock (_gate)
        {
            return new BotView(Bot.Id, Bot.FirstName, Bot.Username, _webhook?.Url, _pending.Count, Volatile.Read(ref _activePolls), Faults);
        }
    }

    private MessageView ToView(StoredMessage stored)
    {
        var m = stored.Message;
        return new MessageView(
            m.Id,
            stored.FromBot ? "bot" : "user",
            new DateTimeOffset(m.Date).ToUnixTimeSeconds(),
            m.Text,
            m.Caption,
            m.Photo is { Length: > 0 } photo ? FileView(photo[^1].FileId, null, photo[^1].Width, photo[^1].Height) : null,
            m.Document is { } document ? FileView(document.FileId, document.FileName, null, null) : null,
            m.Video is { } video ? FileView(video.FileId, video.FileName, video.Width, video.Height) : null,
            m.MediaGroupId,
            m.ReplyToMessage?.Id,
            m.ReplyMarkup?.InlineKeyboard.Select(row => row.Select(ToView).ToArray()).ToArray(),
            stored.Invoice is { } invoice ? new InvoiceView(invoice.Title, invoice.Description, invoice.Currency, invoice.Amount) : null,
            m.SuccessfulPayment is { } paid ? new PaymentView(paid.TotalAmount, paid.Currency, paid.TelegramPaymentChargeId, paid.IsRecurring, paid.SubscriptionExpirationDate) : null,
            m.RefundedPayment is { } refunded ? new PaymentView(refunded.TotalAmount, refunded.Currency, refunded.TelegramPaymentChargeId, false, null) : null,
            m.WebAppData?.Data,
            stored.EditCount,
            [.. stored.PreviousTexts],
            stored.Deleted,
            stored.FileSource,
            MonotonicMilliseconds(stored.ArrivedAt),
            stored.DeliveredAt is { } delivered ? MonotonicMilliseconds(delivered) : null);
    }

    /// <summary>
    /// A <see cref="System.Diagnostics.Stopwatch"/> timestamp in milliseconds of CLOCK_MONOTONIC on Linux: comparable with
    /// another process's monotonic clock on the same machine (Python's <c>time.monotonic()</c>), so a client can split a latency.
    /// </summary>
    private static double MonotonicMilliseconds(long timestamp) => timestamp * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    private FileView? FileView(string fileId, string? fileName, int? width, int? height)
    {
        var file = _filesById.GetValueOrDefault(fileId);
        return new FileView(fileId, fileName, file?.MimeType, file?.Content.LongLength, width, height, $"/api/files/{Uri.EscapeDataString(fileId)}");
    }

    private static InlineButtonView ToView(InlineKeyboardButton button) =>
        new(button.Text, button.CallbackData, button.Url, button.WebApp?.Url, button.Pay);

    private static MenuButtonView ToView(MenuButton button) => button switch
    {
        MenuButtonWebApp webApp => new MenuButtonView("web_app", webApp.Text, webApp.WebApp.Url),
        MenuButtonCommands => new MenuButtonView("commands", null, null),
        _ => new MenuButtonView("default", null, null),
    };
}

internal sealed record TranscriptView(
    long Version, UserView User, MessageView[] Messages, KeyboardButtonView[][]? ReplyKeyboard, CallbackAnswer[] CallbackAnswers,
    string? ChatAction, MenuButtonView MenuButton, CommandView[] Commands);

internal sealed record UserView(long Id, string FirstName, string? Username, string? LanguageCode, int Stars, bool BlockedBot);

internal sealed record MessageView(
    int MessageId, string From, long Date, string? Text, string? Caption, FileView? Photo, FileView? Document, FileView? Video,
    string? MediaGroupId, int? ReplyToMessageId, InlineButtonView[][]? InlineKeyboard, InvoiceView? Invoice,
    PaymentView? SuccessfulPayment, PaymentView? RefundedPayment, string? WebAppData, int EditCount, string[] PreviousTexts, bool Deleted, string? FileSource,
    double ArrivedMs, double? DeliveredToBotMs);

internal sealed record FileView(string FileId, string? FileName, string? MimeType, long? FileSize, int? Width, int? Height, string Url);

internal sealed record InlineButtonView(string Text, string? CallbackData, string? Url, string? WebAppUrl, bool Pay);

internal sealed record KeyboardButtonView(string Text, string? WebAppUrl);

internal sealed record InvoiceView(string Title, string Description, string Currency, int TotalAmount);

/// <summary>A payment in the transcript; subscription payments say so and until when the period is paid.</summary>
internal sealed record PaymentView(long TotalAmount, string Currency, string TelegramPaymentChargeId, bool IsRecurring, DateTime? SubscriptionExpirationDate);

internal sealed record MenuButtonView(string Type, string? Text, string? Url);

internal sealed record CommandView(string Command, string Description);

internal sealed record BotView(long Id, string FirstName, string? Username, string? WebhookUrl, int PendingUpdateCount, int ActivePolls, FaultSettings Faults);
