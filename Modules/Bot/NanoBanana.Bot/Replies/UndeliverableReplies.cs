using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// What the bot does about a reply Telegram will never take: the product's answer to a permanent failure,
/// kept apart from the sender's mechanics (which only decide that it is permanent).
/// </summary>
internal sealed class UndeliverableReplies(SqlSession database, Texts texts, ReplySignal signal)
{
    /// <summary>
    /// A result file that can no longer be sent (e.g. past its retention) is not dropped silently: the
    /// chat is told once per job, however many of the job's messages fail.
    /// </summary>
    public async Task TellFileGoneAsync(long chatId, string jobId, CancellationToken cancellationToken)
    {
        // A chat's messages go one at a time, so the job's other failing file sees this row.
        var slot = "gone:" + jobId;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var told = SqlSession.Command(connection, null, "SELECT EXISTS (SELECT 1 FROM bot.outbound WHERE chat_id = $1 AND slot = $2)"))
        {
            told.Parameters.AddWithValue(chatId);
            told.Parameters.AddWithValue(slot);
            if ((bool)(await told.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        if (await ReplyWriter.ForChatAsync(connection, null, texts, chatId, cancellationToken) is { } replies)
        {
            await replies.AddAsync(new OutMessage { Kind = OutKind.SendText, Text = replies.T("result.file_gone") }, cancellationToken, slot);
            signal.Notify();
        }
    }

    /// <summary>403: the user blocked the bot (or is gone) — broadcasts skip the chat until my_chat_member says otherwise.</summary>
    public async Task MarkChatBlockedAsync(long chatId, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("UPDATE bot.chats SET blocked_at = coalesce(blocked_at, now()) WHERE chat_id = $1", cancellationToken, chatId);
    }
}
