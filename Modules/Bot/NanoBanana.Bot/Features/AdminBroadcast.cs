using System.Globalization;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Persistence;
using NpgsqlTypes;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Admins: <c>/broadcast</c> — the admin sends the message (text, or a photo with a caption), sees it
/// exactly as recipients will, then confirms "Send to N users" or cancels. Confirming records the
/// broadcast once per draft; <see cref="BroadcastDispatcher"/> queues it to every chat that has not
/// blocked the bot, paced, and reports the outcome to the admin.
/// </summary>
internal sealed class AdminBroadcast(SqlSession database) : IChatFeature
{
    private const string Composing = "broadcast.compose";
    private const string Confirming = "broadcast.confirm";

    /// <summary>Telegram's limits for a message text and a media caption.</summary>
    private const int MaxText = 4096;
    private const int MaxCaption = 1024;

    public IReadOnlyCollection<string> Commands { get; } = ["broadcast"];

    public string? CallbackPrefix => "bc";

    public string? StatePrefix => "broadcast";

    public bool AdminOnly => true;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Command:
                session.State = Composing;
                session.Data = new ChatData { Draft = session.Data.Draft + 1 };
                session.Send(session.T("broadcast.ask"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Text:
                await PreviewAsync(session, incoming.Argument, photo: null, cancellationToken);
                return;
            case IncomingKind.Photo:
                await PreviewAsync(session, incoming.Argument, incoming.PhotoFileId, cancellationToken);
                return;
            case IncomingKind.Callback:
                await DecideAsync(session, incoming, cancellationToken);
                return;
        }
    }

    private async Task PreviewAsync(ChatSession session, string text, string? photo, CancellationToken cancellationToken)
    {
        var limit = photo is null ? MaxText : MaxCaption;
        if (text.Length > limit)
        {
            session.Send(session.T("broadcast.too_long", limit), [Keyboards.MenuRow(session)]);
            return;
        }

        if (photo is null && text.Length == 0)
        {
            session.Send(session.T("broadcast.ask"), [Keyboards.MenuRow(session)]);
            return;
        }

        // A new message while a preview is shown replaces the draft; the old buttons go stale.
        session.State = Confirming;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, BroadcastText = text, BroadcastPhoto = photo };
        session.SendBuilt(Message(session.Data));

        var recipients = await CountRecipientsAsync(cancellationToken);
        var draft = session.Data.Draft.ToString(CultureInfo.InvariantCulture);
        session.Send(session.T("broadcast.confirm", recipients),
        [
            [new InlineButton(session.T("broadcast.send_button", recipients), $"bc:send:{draft}")],
            [new InlineButton(session.T("broadcast.cancel_button"), $"bc:cancel:{draft}")],
        ]);
    }

    private async Task DecideAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var current = session.State == Confirming && incoming.CallbackArgument == session.Data.Draft.ToString(CultureInfo.InvariantCulture);
        if (!current)
        {
            // A second tap on Send (or a button of a replaced draft) does nothing.
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
            return;
        }

        session.AnswerCallback(incoming.CallbackQueryId!);
        if (incoming.CallbackAction == "send")
        {
            var recipients = await CountRecipientsAsync(cancellationToken);
            await RecordAsync(session, cancellationToken);
            session.Edit(incoming.MessageId!.Value, session.T("broadcast.queued", recipients));
            session.ShowMainMenu();
        }
        else
        {
            session.Edit(incoming.MessageId!.Value, session.T("broadcast.cancelled"));
            session.ShowMainMenu();
        }
    }

    /// <summary>Idempotent per (chat, draft): the same update retried after a crash records nothing new.</summary>
    private async Task RecordAsync(ChatSession session, CancellationToken cancellationToken)
    {
        await using var command = database.Command("""
            INSERT INTO bot.broadcasts (admin_chat_id, draft, language, payload) VALUES ($1, $2, $3, $4)
            ON CONFLICT (admin_chat_id, draft) DO NOTHING
            """);
        command.Parameters.AddWithValue(session.ChatId);
        command.Parameters.AddWithValue(session.Data.Draft);
        command.Parameters.AddWithValue(session.Language);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Message(session.Data).ToJson() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> CountRecipientsAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Command($"SELECT count(*) FROM bot.chats WHERE {BroadcastDispatcher.RecipientFilter}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static OutMessage Message(ChatData data) => data.BroadcastPhoto is { } photo
        ? new OutMessage { Kind = OutKind.SendPhoto, File = photo, Text = data.BroadcastText is { Length: > 0 } caption ? caption : null }
        : new OutMessage { Kind = OutKind.SendText, Text = data.BroadcastText };
}
