using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Turns confirmed broadcasts into outbound rows, a slice per second at
/// <see cref="BotOptions.BroadcastMessagesPerSecond"/>, and only while few of its rows wait unsent:
/// the sender's global rate stays mostly free for interactive replies, and the queue never holds
/// a whole broadcast ahead of them. Rows go in the chat's own "broadcast" lane, so a chat's
/// conversation is not ordered behind them. When every row is sent or failed, the admin gets the report.
/// </summary>
internal sealed partial class BroadcastDispatcher(
    SqlSession database,
    ReplySignal replies,
    Texts texts,
    IOptions<BotOptions> options,
    ILogger<BroadcastDispatcher> logger) : BackgroundService
{
    /// <summary>Chats a broadcast goes to: private chats (positive ids) whose user has not blocked the bot.</summary>
    public const string RecipientFilter = "chat_id > 0 AND blocked_at IS NULL";

    public const string Lane = "broadcast";

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    // A slice per tick: the loop never steps again at once (its rate is the point).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the broadcast dispatcher", logger) { IdleWait = Tick }.RunAsync(
            async cancellationToken =>
            {
                if (await QueueSliceAsync(cancellationToken) | await ReportFinishedAsync(cancellationToken))
                {
                    replies.Notify();
                }

                return false;
            },
            stoppingToken);

    /// <summary>Queues the next slice of the oldest broadcast still being queued; true when rows were added.</summary>
    internal async Task<bool> QueueSliceAsync(CancellationToken cancellationToken)
    {
        var perTick = Math.Max(1, (int)(options.Value.BroadcastMessagesPerSecond * Tick.TotalSeconds));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long id, cursor;
        string payload;
        await using (var open = SqlSession.Command(connection, transaction, """
            SELECT id, cursor_chat_id, payload::text FROM bot.broadcasts
            WHERE reported_at IS NULL AND queued_all_at IS NULL
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
            """))
        await using (var reader = await open.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (id, cursor, payload) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
        }

        // Rows still waiting from earlier slices (any broadcast) take from this slice: a slow or
        // rate-limited sender is not buried under a growing backlog.
        await using (var waiting = SqlSession.Command(
            connection, transaction,
            "SELECT count(*) FROM bot.outbound WHERE broadcast_id IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL"))
        {
            perTick -= (int)Math.Min(perTick, (long)(await waiting.ExecuteScalarAsync(cancellationToken))!);
        }

        if (perTick == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        await using var queue = SqlSession.Command(connection, transaction, $"""
            WITH next AS (
                SELECT chat_id FROM bot.chats WHERE chat_id > $2 AND {RecipientFilter} ORDER BY chat_id LIMIT $3),
            queued AS (
                INSERT INTO bot.outbound (chat_id, lane, payload, broadcast_id)
                SELECT chat_id, '{Lane}', $4::jsonb, $1 FROM next
                RETURNING chat_id)
            UPDATE bot.broadcasts SET
                cursor_chat_id = coalesce((SELECT max(chat_id) FROM queued), cursor_chat_id),
                queued = queued + (SELECT count(*) FROM queued),
                queued_all_at = CASE WHEN (SELECT count(*) FROM queued) < $3 THEN now() END
            WHERE id = $1
            RETURNING (SELECT count(*) FROM queued)
            """);
        queue.Parameters.AddWithValue(id);
        queue.Parameters.AddWithValue(cursor);
        queue.Parameters.AddWithValue(perTick);
        queue.Parameters.AddWithValue(payload);
        var added = (long)(await queue.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return added > 0;
    }

    /// <summary>Reports each fully queued broadcast whose rows are all sent or failed; true when a report was queued.</summary>
    internal async Task<bool> ReportFinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var finished = new List<(long Id, long AdminChatId, string Language)>();
        await using (var select = SqlSession.Command(connection, transaction, """
            SELECT b.id, b.admin_chat_id, b.language FROM bot.broadcasts b
            WHERE b.reported_at IS NULL AND b.queued_all_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM bot.outbound o WHERE o.broadcast_id = b.id AND o.sent_at IS NULL AND o.failed_at IS NULL)
            FOR UPDATE SKIP LOCKED
            """))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                finished.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        foreach (var (id, adminChatId, language) in finished)
        {
            long sent, failed;
            await using (var count = SqlSession.Command(
                connection, transaction,
                "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE failed_at IS NOT NULL) FROM bot.outbound WHERE broadcast_id = $1"))
            {
                count.Parameters.AddWithValue(id);
                await using var reader = await count.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                (sent, failed) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            var admin = ReplyWriter.For(connection, transaction, texts, adminChatId, language);
            await admin.AddAsync(new OutMessage { Kind = OutKind.SendText, Text = admin.T("broadcast.report", sent, failed) }, cancellationToken);
            await using var done = SqlSession.Command(connection, transaction, "UPDATE bot.broadcasts SET reported_at = now() WHERE id = $1");
            done.Parameters.AddWithValue(id);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return finished.Count > 0;
    }

}
