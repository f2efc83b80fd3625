using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// Processes the stored updates (<c>bot.updates</c>). A worker owns one chat at a time by a lease on its <c>bot.chats</c> row
/// (claimed with <c>FOR UPDATE SKIP LOCKED</c> in a statement of its own, renewed while the step runs;
/// other workers and replicas skip the chat, other chats proceed) and handles the chat's oldest pending
/// update with no transaction open: the step calls other modules and the Bot API (photo downloads), and
/// no transaction or row lock may wait on those. One short transaction then saves the new conversation
/// state, queues the replies, marks the update processed and ends the lease, fenced on the lease id:
/// a crash at any point either loses the whole step (it runs again, after the lease) or none of it.
/// </summary>
internal sealed partial class UpdateWorker(
    SqlSession database,
    IServiceScopeFactory scopes,
    ReplySignal replies,
    UpdateSignal signal,
    Texts texts,
    TimeProvider clock,
    IOptions<BotOptions> options,
    ILogger<UpdateWorker> logger) : BackgroundService
{
    // The chat whose pending update is oldest first: without the ORDER BY the planner handed out the chats in its
    // hash order, and under a backlog a chat late in that order waited seconds while newer chats went ahead (ADR 0235).
    private const string ClaimChatSql = """
        WITH candidate AS (
            SELECT c.chat_id FROM (
                SELECT chat_id, min(update_id) AS oldest FROM (
                    SELECT chat_id, update_id FROM bot.updates WHERE status = 0
                    ORDER BY update_id LIMIT 500) u
                GROUP BY chat_id) p
            JOIN bot.chats c ON c.chat_id = p.chat_id
            WHERE (c.retry_at IS NULL OR c.retry_at <= now())
              AND (c.leased_until IS NULL OR c.leased_until < now())
            ORDER BY p.oldest
            LIMIT 1
            FOR UPDATE OF c SKIP LOCKED)
        UPDATE bot.chats c SET leased_until = now() + $1, lease_id = $2
        FROM candidate WHERE c.chat_id = candidate.chat_id
        RETURNING c.chat_id, c.user_id, c.language, c.language_override, c.state, c.data::text
        """;

    // A statement of its own (a snapshot taken after the claim): a step saved by the previous owner just
    // before the claim is visible here, so its update is not taken again.
    private const string NextUpdateSql =
        "SELECT update_id, payload::text, attempts FROM bot.updates WHERE chat_id = $1 AND status = 0 ORDER BY update_id LIMIT 1";

    // First in the save: the chat's state, only while the lease is still this worker's; ends the lease.
    private const string SaveChatSql = """
        UPDATE bot.chats SET user_id = $2, language = $3, language_override = $4, state = $5, data = $6, retry_at = NULL, updated_at = now(),
            blocked_at = CASE WHEN $7::boolean IS NULL THEN blocked_at WHEN $7 THEN coalesce(blocked_at, now()) END,
            leased_until = NULL, lease_id = NULL
        WHERE chat_id = $1 AND lease_id = $8
        """;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the update worker", logger) { Signal = signal, IdleWait = options.Value.UpdatePollInterval, Copies = options.Value.UpdateWorkers }
            .RunAsync(ProcessNextAsync, stoppingToken);

    /// <summary>Claims one chat and processes its oldest pending update; false when there was nothing to do.</summary>
    internal async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        var lease = new ChatLease(Guid.NewGuid(), options.Value.ChatLease);
        if (await ClaimAsync(lease, cancellationToken) is not { } chat)
        {
            return false;
        }

        var ended = false;
        try
        {
            if (await NextUpdateAsync(chat.ChatId, cancellationToken) is not { } update)
            {
                await EndLeaseAsync(chat.ChatId, lease, cancellationToken);
                ended = true;
                return true;
            }

            ChatSession session;
            using (LeaseHeartbeat.Start(lease.Duration, ct => ExtendLeaseAsync(chat.ChatId, lease, ct), exception => LogLeaseExtensionFailed(logger, exception, chat.ChatId), clock, cancellationToken))
            {
                try
                {
                    session = await HandleAsync(chat, update, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    await RecordFailureAsync(chat, lease, update, exception, cancellationToken);
                    ended = true;
                    return true;
                }
            }

            try
            {
                await SaveAsync(chat, lease, update, session, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                await RecordFailureAsync(chat, lease, update, exception, cancellationToken);
            }

            ended = true;

            return true;
        }
        finally
        {
            if (!ended)
            {
                // Stopping, or the failure could not be recorded: the chat goes back now rather than when the lease runs out.
                await ReleaseLeaseQuietlyAsync(chat.ChatId, lease);
            }
        }
    }

    private async Task<StoredChat?> ClaimAsync(ChatLease lease, CancellationToken cancellationToken)
    {
        await using var claim = database.Command(ClaimChatSql);
        claim.Parameters.AddWithValue(lease.Duration);
        claim.Parameters.AddWithValue(lease.Id);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredChat(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5))
            : null;
    }

    private async Task<PendingUpdate?> NextUpdateAsync(long chatId, CancellationToken cancellationToken)
    {
        await using var next = database.Command(NextUpdateSql);
        next.Parameters.AddWithValue(chatId);
        await using var reader = await next.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new PendingUpdate(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)) : null;
    }

    private Task<int> ExtendLeaseAsync(long chatId, ChatLease lease, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE bot.chats SET leased_until = now() + $3 WHERE chat_id = $1 AND lease_id = $2", cancellationToken, chatId, lease.Id, lease.Duration);

    private Task<int> EndLeaseAsync(long chatId, ChatLease lease, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE bot.chats SET leased_until = NULL, lease_id = NULL WHERE chat_id = $1 AND lease_id = $2", cancellationToken, chatId, lease.Id);

    private async Task ReleaseLeaseQuietlyAsync(long chatId, ChatLease lease)
    {
        try
        {
            await EndLeaseAsync(chatId, lease, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The lease runs out by itself.
            LogLeaseReleaseFailed(logger, exception, chatId);
        }
    }

    private async Task<ChatSession> HandleAsync(StoredChat chat, PendingUpdate pending, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UpdateRouter>().HandleAsync(chat, pending.UpdateId, pending.Payload, cancellationToken);
    }

    /// <summary>Saves the step in one short transaction and ends the lease; nothing is saved when the lease was lost meanwhile.</summary>
    private async Task SaveAsync(StoredChat chat, ChatLease lease, PendingUpdate update, ChatSession session, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SaveChatSql)
        {
            Parameters =
            {
                new() { Value = chat.ChatId },
                new() { Value = session.UserId },
                new() { Value = session.Language },
                new() { Value = (object?)session.LanguageOverride ?? DBNull.Value },
                new() { Value = session.State },
                new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = session.StoredData },
                new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)session.BlockedBot ?? DBNull.Value },
                new() { Value = lease.Id },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE bot.updates SET status = 1, processed_at = now(), attempts = attempts + 1 WHERE update_id = $1")
        {
            Parameters = { new() { Value = update.UpdateId } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM bot.updates WHERE chat_id = $1 AND status = 0)")
        {
            Parameters = { new() { Value = chat.ChatId } },
        });
        bool morePending;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The two updates return no rows; the reader starts at the EXISTS.
            morePending = await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);
        }

        if (batch.BatchCommands[0].RecordsAffected == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            LogLeaseLost(logger, update.UpdateId, chat.ChatId);
            return;
        }

        var chatReplies = ReplyWriter.For(connection, transaction, texts, chat.ChatId, session.Language);
        foreach (var (message, slot) in session.Outgoing)
        {
            await chatReplies.AddAsync(message, cancellationToken, slot);
        }

        await transaction.CommitAsync(cancellationToken);
        replies.Notify();
        if (morePending)
        {
            // The chat's next update was skipped by idle workers while this one ran: wake them instead of their poll.
            signal.Notify();
        }
    }

    /// <summary>
    /// Backs the chat off (its later updates wait too, keeping their order) and ends the lease; parks the update
    /// after the last attempt. Nothing is recorded when the lease was lost meanwhile (its new owner runs the update).
    /// </summary>
    private async Task RecordFailureAsync(StoredChat chat, ChatLease lease, PendingUpdate update, Exception exception, CancellationToken cancellationToken)
    {
        var chatId = chat.ChatId;
        var settings = options.Value;
        var attempts = update.Attempts + 1;
        var (park, delay) = new RetryPolicy(settings.MaxUpdateAttempts, settings.FirstRetryDelay, MaxDelay: TimeSpan.FromMinutes(5)).After(attempts);
        var error = exception.GetType().Name + ": " + exception.Message;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "UPDATE bot.chats SET retry_at = CASE WHEN $2 THEN NULL ELSE now() + $3 END, leased_until = NULL, lease_id = NULL WHERE chat_id = $1 AND lease_id = $4")
            {
                Parameters = { new() { Value = chatId }, new() { Value = park }, new() { Value = delay }, new() { Value = lease.Id } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "UPDATE bot.updates SET attempts = $2, last_error = $3, status = CASE WHEN $4 THEN 2 ELSE 0 END WHERE update_id = $1")
            {
                Parameters = { new() { Value = update.UpdateId }, new() { Value = attempts }, new() { Value = error }, new() { Value = park } },
            });
            await batch.ExecuteNonQueryAsync(cancellationToken);
            if (batch.BatchCommands[0].RecordsAffected == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                LogLeaseLost(logger, update.UpdateId, chatId);
                return;
            }
        }

        if (!park)
        {
            await transaction.CommitAsync(cancellationToken);
            LogRetry(logger, exception, update.UpdateId, chatId, attempts);
            return;
        }

        var user = ReplyWriter.For(connection, transaction, texts, chatId, Texts.LanguageOf(chat.LanguageOverride, chat.Language));
        await user.AddAsync(new OutMessage { Kind = OutKind.SendText, Text = user.T("error.internal") }, cancellationToken);
        foreach (var adminId in settings.AdminIds)
        {
            // Operators read alerts in English, whatever language they chat in.
            var admin = ReplyWriter.For(connection, transaction, texts, adminId, "en");
            await admin.AddAsync(new OutMessage { Kind = OutKind.SendText, Text = admin.T("admin.update_parked", update.UpdateId, chatId, error) }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        replies.Notify();
        LogParked(logger, exception, update.UpdateId, chatId, attempts);
    }

    /// <summary>A claim: its id fences every write of the step; it lasts <see cref="Duration"/> unless extended.</summary>
    private sealed record ChatLease(Guid Id, TimeSpan Duration);

    private sealed record PendingUpdate(long UpdateId, string Payload, int Attempts);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} of chat {ChatId} failed (attempt {Attempts}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, long updateId, long chatId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} of chat {ChatId}: the chat's lease ran out and another worker took it over; this run's result is dropped")]
    private static partial void LogLeaseLost(ILogger logger, long updateId, long chatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {ChatId}: extending the chat lease failed")]
    private static partial void LogLeaseExtensionFailed(ILogger logger, Exception exception, long chatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {ChatId}: giving the chat lease back failed; it runs out by itself")]
    private static partial void LogLeaseReleaseFailed(ILogger logger, Exception exception, long chatId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Update {UpdateId} of chat {ChatId} parked after {Attempts} attempts; admins alerted")]
    private static partial void LogParked(ILogger logger, Exception exception, long updateId, long chatId, int attempts);
}
