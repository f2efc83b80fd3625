using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// Sends the persisted outbound queue. Rows are claimed with <c>SKIP LOCKED</c> and a lease, only
/// the oldest pending row of each chat lane is claimable (order per chat holds across replicas),
/// token buckets pace the calls, 429 pauses sending for <c>retry_after</c>, and edits of one
/// message are spaced by <see cref="BotOptions.EditInterval"/>. Delivery is at-least-once: a crash
/// after a call and before it is marked sent repeats that call. What a row is on the wire is
/// <see cref="ReplyCalls"/>; what the bot does about a row Telegram will never take is <see cref="UndeliverableReplies"/>.
/// </summary>
internal sealed partial class ReplySender(
    SqlSession database,
    ReplyCalls calls,
    SendRateLimiter limiter,
    UndeliverableReplies undeliverable,
    ReplySignal signal,
    IOptions<BotOptions> options,
    ILogger<ReplySender> logger) : BackgroundService
{
    /// <summary>Held by a row that may upload: longer than the upload client's timeout, so no other replica sends it meanwhile.</summary>
    private static readonly TimeSpan UploadLease = BotApiClients.UploadTimeout + TimeSpan.FromMinutes(1);

    private const string ClaimSql = """
        WITH heads AS (
            SELECT o.id FROM bot.outbound o
            WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.not_before <= now()
              AND (o.locked_until IS NULL OR o.locked_until < now())
              AND NOT EXISTS (SELECT 1 FROM bot.outbound p
                              WHERE p.chat_id = o.chat_id AND p.lane = o.lane AND p.id < o.id
                                AND p.sent_at IS NULL AND p.failed_at IS NULL)
            ORDER BY o.id
            LIMIT $1
            FOR UPDATE OF o SKIP LOCKED)
        UPDATE bot.outbound o SET locked_until = now() + $2
        FROM heads WHERE o.id = heads.id
        RETURNING o.id, o.chat_id, o.slot, o.payload::text, o.attempts
        """;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the outbound sender", logger) { Signal = signal, IdleWait = TimeSpan.FromMilliseconds(250), FailurePause = TimeSpan.FromSeconds(1) }
            .RunAsync(async cancellationToken => await SendBatchAsync(cancellationToken) > 0, stoppingToken);

    internal async Task<int> SendBatchAsync(CancellationToken cancellationToken)
    {
        var rows = await ClaimAsync(64, cancellationToken);
        // Chats run concurrently; each chat's rows (at most one per lane) in order.
        await Parallel.ForEachAsync(
            rows.GroupBy(r => r.ChatId),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (chat, ct) =>
            {
                foreach (var row in chat)
                {
                    await SendOneAsync(row, ct);
                }
            });
        return rows.Count;
    }

    private async Task<List<Row>> ClaimAsync(int batch, CancellationToken cancellationToken)
    {
        await using var command = database.Command(ClaimSql);
        command.Parameters.AddWithValue(batch);
        command.Parameters.AddWithValue(options.Value.OutboundLease);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }

        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }

    private async Task SendOneAsync(Row row, CancellationToken cancellationToken)
    {
        OutMessage message;
        try
        {
            message = OutMessage.FromJson(row.Payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            // A row no version of this code can read must not hold up the rest of the chat.
            LogUnreadable(logger, e, row.Id);
            await MarkFailedAsync(row.Id, "unreadable payload: " + e.Message, cancellationToken);
            return;
        }

        int? editTarget = null;
        if (message.Kind == OutKind.EditText)
        {
            var target = await EditTargetAsync(row, message, cancellationToken);
            if (target.Wait is { } wait)
            {
                await ReleaseAsync(row.Id, wait, cancellationToken);
                return;
            }

            if (target.MessageId is null)
            {
                await MarkFailedAsync(row.Id, "the message to edit was never sent", cancellationToken);
                return;
            }

            editTarget = target.MessageId;
        }

        if (message.Kind != OutKind.AnswerCallback)
        {
            // Short waits are taken here; long ones give the row back so other chats are not held up.
            var wait = limiter.TryAcquire(row.ChatId);
            while (wait > TimeSpan.Zero && wait < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(wait, cancellationToken);
                wait = limiter.TryAcquire(row.ChatId);
            }

            if (wait > TimeSpan.Zero)
            {
                await ReleaseAsync(row.Id, wait, cancellationToken);
                return;
            }
        }

        if (message.Result is not null)
        {
            await ExtendLeaseAsync(row.Id, UploadLease, cancellationToken);
        }

        try
        {
            var sentId = await calls.CallAsync(row.ChatId, message, editTarget, cancellationToken);
            await MarkSentAsync(row, sentId, cancellationToken);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            var retryAfter = TimeSpan.FromSeconds(e.Parameters?.RetryAfter ?? 1);
            limiter.Pause(retryAfter);
            LogFlood(logger, row.ChatId, retryAfter.TotalSeconds);
            await ReleaseAsync(row.Id, retryAfter, cancellationToken);
        }
        catch (ApiRequestException e) when (message.Kind == OutKind.EditText && e.Message.Contains("not modified", StringComparison.OrdinalIgnoreCase))
        {
            await MarkSentAsync(row, editTarget, cancellationToken);
        }
        catch (ApiRequestException e) when (e.ErrorCode is 400 or 403)
        {
            // Permanent: a blocked bot, a deleted message, a malformed request. Retrying cannot help.
            LogDropped(logger, e, row.Id, row.ChatId, message.Kind);
            await MarkFailedAsync(row.Id, e.Message, cancellationToken);
            if (e.ErrorCode == 403)
            {
                await undeliverable.MarkChatBlockedAsync(row.ChatId, cancellationToken);
            }
        }
        catch (ResultPreviewException e)
        {
            LogDropped(logger, e, row.Id, row.ChatId, message.Kind);
            await MarkFailedAsync(row.Id, e.Message, cancellationToken);
        }
        catch (ResultMediaGoneException e)
        {
            LogDropped(logger, e, row.Id, row.ChatId, message.Kind);
            await MarkFailedAsync(row.Id, e.Message, cancellationToken);
            await undeliverable.TellFileGoneAsync(row.ChatId, message.Result!.JobId, cancellationToken);
        }
        catch (RequestException e)
        {
            var (drop, delay) = new RetryPolicy(options.Value.MaxSendAttempts, FirstDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromMinutes(1)).After(row.Attempts + 1);
            if (drop)
            {
                LogDropped(logger, e, row.Id, row.ChatId, message.Kind);
                await MarkFailedAsync(row.Id, e.Message, cancellationToken);
            }
            else
            {
                await RetryLaterAsync(row.Id, delay, e.Message, cancellationToken);
            }
        }
    }

    /// <summary>The message a slot edit targets, or how long to wait (message not sent yet, or edited too recently).</summary>
    private async Task<(int? MessageId, TimeSpan? Wait)> EditTargetAsync(Row row, OutMessage message, CancellationToken cancellationToken)
    {
        if (message.MessageId is { } explicitId)
        {
            return (explicitId, null);
        }

        await using var command = database.Command("""
            SELECT s.message_id, s.last_edit_at,
                   EXISTS (SELECT 1 FROM bot.outbound o WHERE o.chat_id = $1 AND o.slot = $2 AND o.lane = 'main'
                                                         AND o.sent_at IS NULL AND o.failed_at IS NULL)
            FROM (SELECT 1) one LEFT JOIN bot.slots s ON s.chat_id = $1 AND s.slot = $2
            """);
        command.Parameters.AddWithValue(row.ChatId);
        command.Parameters.AddWithValue(row.Slot!);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            // The message is still queued: wait for it. If its send was dropped, there is nothing to edit.
            return reader.GetBoolean(2) ? (null, TimeSpan.FromMilliseconds(300)) : (null, null);
        }

        var messageId = reader.GetInt32(0);
        if (!reader.IsDBNull(1))
        {
            var next = reader.GetFieldValue<DateTimeOffset>(1) + options.Value.EditInterval;
            var wait = next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                return (null, wait);
            }
        }

        return (messageId, null);
    }

    private async Task MarkSentAsync(Row row, int? messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE bot.outbound SET sent_at = now(), locked_until = NULL WHERE id = $1") { Parameters = { new() { Value = row.Id } } });
        if (row.Slot is not null && messageId is { } id)
        {
            // The slot remembers its message; an edit or a send both restart the edit interval.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO bot.slots (chat_id, slot, message_id, last_edit_at) VALUES ($1, $2, $3, now())
                ON CONFLICT (chat_id, slot) DO UPDATE SET message_id = excluded.message_id, last_edit_at = now()
                """)
            {
                Parameters = { new() { Value = row.ChatId }, new() { Value = row.Slot }, new() { Value = id } },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ExtendLeaseAsync(long id, TimeSpan lease, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("UPDATE bot.outbound SET locked_until = now() + $2 WHERE id = $1", cancellationToken, id, lease);
    }

    private async Task ReleaseAsync(long id, TimeSpan wait, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("UPDATE bot.outbound SET locked_until = NULL, not_before = now() + $2 WHERE id = $1", cancellationToken, id, wait);
    }

    private async Task RetryLaterAsync(long id, TimeSpan wait, string error, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("UPDATE bot.outbound SET locked_until = NULL, not_before = now() + $2, attempts = attempts + 1, last_error = $3 WHERE id = $1", cancellationToken, id, wait, error);
    }

    private async Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync("UPDATE bot.outbound SET locked_until = NULL, failed_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1", cancellationToken, id, error);
    }

    private sealed record Row(long Id, long ChatId, string? Slot, string Payload, int Attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbound {Id} has an unreadable payload; dropped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flood control for chat {ChatId}: pausing sends for {Seconds} s")]
    private static partial void LogFlood(ILogger logger, long chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound {Id} to chat {ChatId} ({Kind}) dropped")]
    private static partial void LogDropped(ILogger logger, Exception exception, long id, long chatId, OutKind kind);
}
