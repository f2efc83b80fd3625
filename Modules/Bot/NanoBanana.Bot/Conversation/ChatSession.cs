using System.Text;
using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// One chat while a worker owns it: the stored state plus the replies decided while handling the
/// current update. Everything is persisted together when the update is marked processed.
/// </summary>
internal sealed class ChatSession(long chatId, long userId, string language, string state, ChatData data, Texts texts, Keyboards keyboards)
{
    private readonly List<(OutMessage Message, string? Slot)> _outgoing = [];

    public long ChatId { get; } = chatId;

    public long UserId { get; set; } = userId;

    public string Language { get; set; } = language;

    /// <summary>The user's own language choice (/lang), kept over Telegram's language_code.</summary>
    public string? LanguageOverride { get; set; }

    public string State { get; set; } = state;

    public ChatData Data { get; set; } = data;

    /// <summary><see cref="Data"/> as <c>bot.chats.data</c> stores it.</summary>
    public string StoredData => Data.ToJson();

    public Keyboards Keyboards { get; } = keyboards;

    /// <summary>Set from my_chat_member: the user blocked (true) or unblocked (false) the bot; null leaves it as stored.</summary>
    public bool? BlockedBot { get; set; }

    public IReadOnlyList<(OutMessage Message, string? Slot)> Outgoing => _outgoing;

    /// <summary>Set once the current callback was answered, so the router does not answer it twice.</summary>
    public bool CallbackAnswered { get; private set; }

    public string T(string key, params object?[] args) => texts.Get(Language, key, args);

    public void Send(string text, InlineButton[][]? inline = null, ReplyButton[][]? reply = null, string? slot = null) =>
        _outgoing.Add((new OutMessage { Kind = OutKind.SendText, Text = text, Inline = Checked(inline), Reply = reply }, slot));

    /// <summary>Replaces the text (and buttons) of the slot's message; queued edits coalesce, latest wins.</summary>
    public void EditSlot(string slot, string text, InlineButton[][]? inline = null) =>
        _outgoing.Add((new OutMessage { Kind = OutKind.EditText, Text = text, Inline = Checked(inline) }, slot));

    public void Edit(int messageId, string text, InlineButton[][]? inline = null) =>
        _outgoing.Add((new OutMessage { Kind = OutKind.EditText, Text = text, Inline = Checked(inline), MessageId = messageId }, null));

    /// <summary>Queues a message built elsewhere (e.g. <see cref="ResultMessages"/>).</summary>
    public void SendBuilt(OutMessage message) =>
        _outgoing.Add((message with { Inline = Checked(message.Inline) }, null));

    public void SendInvoice(InvoiceSpec invoice) =>
        _outgoing.Add((new OutMessage { Kind = OutKind.SendInvoice, Invoice = invoice }, null));

    public void AnswerCallback(string callbackQueryId, string? text = null, bool alert = false)
    {
        _outgoing.Add((new OutMessage { Kind = OutKind.AnswerCallback, CallbackQueryId = callbackQueryId, Text = text, ShowAlert = alert }, null));
        CallbackAnswered = true;
    }

    /// <summary>Leaves any flow: state and draft cleared, the main menu shown.</summary>
    public void ShowMainMenu(string? lead = null)
    {
        State = "";
        Data = new ChatData { Draft = Data.Draft + 1 };
        Send(lead ?? T("menu.title"), reply: Keyboards.MainMenu(this));
    }

    /// <summary>Telegram rejects callback_data over 64 bytes; fail here, where the cause is visible.</summary>
    private static InlineButton[][]? Checked(InlineButton[][]? inline)
    {
        foreach (var button in inline?.SelectMany(row => row) ?? [])
        {
            if (button.Data is { } data && Encoding.UTF8.GetByteCount(data) is 0 or > 64)
            {
                throw new InvalidOperationException($"callback_data '{data}' must be 1-64 bytes.");
            }
        }

        return inline;
    }
}
