using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// What one stored reply is on the wire: the Bot API call of its kind, with its keyboard, invoice or file
/// (generated files through <see cref="ResultMediaSender"/>). Pacing, retries and bookkeeping are the sender's.
/// </summary>
internal sealed class ReplyCalls(ITelegramBotClient bot, ResultMediaSender resultMedia)
{
    /// <summary>Makes the call; the id of the message sent or edited (null for an answered callback).</summary>
    public async Task<int?> CallAsync(long chatId, OutMessage m, int? editTarget, CancellationToken ct)
    {
        switch (m.Kind)
        {
            case OutKind.SendText:
                return (await bot.SendMessage(chatId, m.Text!, replyMarkup: Markup(m), cancellationToken: ct)).Id;
            case OutKind.EditText:
                return (await bot.EditMessageText(chatId, editTarget!.Value, m.Text!, replyMarkup: Inline(m.Inline), cancellationToken: ct)).Id;
            case OutKind.AnswerCallback:
                await bot.AnswerCallbackQuery(m.CallbackQueryId!, m.Text, showAlert: m.ShowAlert, cancellationToken: ct);
                return null;
            case OutKind.SendPhoto or OutKind.SendDocument or OutKind.SendVideo when m.Result is not null:
                return (await resultMedia.SendAsync(chatId, m, Markup(m), ct)).Id;
            case OutKind.SendPhoto:
                return (await bot.SendPhoto(chatId, InputFile.FromString(m.File!), caption: m.Text, replyMarkup: Markup(m), cancellationToken: ct)).Id;
            case OutKind.SendDocument:
                return (await bot.SendDocument(chatId, InputFile.FromString(m.File!), caption: m.Text, replyMarkup: Markup(m), cancellationToken: ct)).Id;
            case OutKind.SendVideo:
                return (await bot.SendVideo(chatId, InputFile.FromString(m.File!), caption: m.Text, replyMarkup: Markup(m), supportsStreaming: true, cancellationToken: ct)).Id;
            case OutKind.SendInvoice:
                var invoice = m.Invoice!;
                // Stars: Telegram.Bot leaves provider_token out, as the Bot API asks for XTR.
                return (await bot.SendInvoice(chatId, invoice.Title, invoice.Description, invoice.Payload, invoice.Currency,
                    [new LabeledPrice(invoice.Label, invoice.Amount)], replyMarkup: Inline(m.Inline), cancellationToken: ct)).Id;
            default:
                throw new InvalidOperationException($"Unknown outbound kind {m.Kind}.");
        }
    }

    private static ReplyMarkup? Markup(OutMessage m) =>
        m.Inline is not null ? Inline(m.Inline)
        : m.Reply is not null ? new ReplyKeyboardMarkup(m.Reply.Select(row => row.Select(b => b.WebApp is null ? new KeyboardButton(b.Text) : KeyboardButton.WithWebApp(b.Text, new WebAppInfo(b.WebApp)))))
        {
            ResizeKeyboard = true,
            IsPersistent = true,
        }
        : null;

    private static InlineKeyboardMarkup? Inline(InlineButton[][]? rows) =>
        rows is null ? null : new InlineKeyboardMarkup(rows.Select(row => row.Select(b => b switch
        {
            { Pay: true } => InlineKeyboardButton.WithPay(b.Text),
            { Url: { } url } => InlineKeyboardButton.WithUrl(b.Text, url),
            { WebApp: { } app } => InlineKeyboardButton.WithWebApp(b.Text, new WebAppInfo(app)),
            _ => InlineKeyboardButton.WithCallbackData(b.Text, b.Data!),
        })));
}
