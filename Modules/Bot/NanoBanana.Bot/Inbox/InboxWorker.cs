using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Ingest;
using NanoBanana.Bot.Outbound;
using NanoBanana.Bot.Persistence;
using Npgsql;
using Telegram.Bot;
using NpgsqlTypes;

namespace NanoBanana.Bot.Inbox;

/// <summary>
/// Processes the update inbox. A worker owns one chat at a time by locking its <c>bot.chats</c> row
/// with <c>FOR UPDATE SKIP LOCKED</c> (other workers and replicas skip it, other chats proceed), handles
/// the chat's oldest pending update, and in that same transaction saves the new conversation state,
/// queues the replies and marks the update processed — so a crash at any point either loses the
/// whole step (it runs again) or none of it.
/// </summary>
internal sealed partial class InboxWorker(
    BotDatabase database,
    IServiceScopeFactory scopes,
    Outbox outbox,
    InboxSignal signal,
    Texts texts,
    Keyboards keyboards,
    IOptions<BotOptions> options,
    ILogger<InboxWorker> logger) : BackgroundService
{
    private const string ClaimChatSql = """
        SELECT c.chat_id, c.user_id, c.language, c.language_override, c.state, c.data::text
        FROM bot.chats c
        WHERE c.chat_id IN (SELECT DISTINCT u.chat_id FROM (
                                SELECT chat_id FROM bot.updates WHERE status = 0
                                ORDER BY update_id LIMIT 500) u)
          AND (c.retry_at IS NULL OR c.retry_at <= now())
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(0, options.Value.InboxWorkers)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await ProcessNextAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoopFailed(logger, exception);
                worked = false;
            }

            if (!worked)
            {
                await signal.WaitAsync(options.Value.InboxPollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Claims one chat and processes its oldest pending update; false when there was nothing to do.</summary>
    internal async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        StoredChat? chat;
        await using (var claim = new NpgsqlCommand(ClaimChatSql, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            chat = await reader.ReadAsync(cancellationToken)
                ? new StoredChat(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5))
                : null;
        }

        if (chat is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        PendingUpdate? update;
        await using (var next = new NpgsqlCommand(
            "SELECT update_id, payload::text, attempts FROM bot.updates WHERE chat_id = $1 AND status = 0 ORDER BY update_id LIMIT 1", connection, transaction))
        {
            next.Parameters.AddWithValue(chat.ChatId);
            await using var reader = await next.ExecuteReaderAsync(cancellationToken);
            update = await reader.ReadAsync(cancellationToken) ? new PendingUpdate(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)) : null;
        }

        if (update is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return true;
        }

        // The savepoint lets a failed step be undone while the chat stays locked for recording the failure.
        await transaction.SaveAsync("step", cancellationToken);
        try
        {
            var session = await HandleAsync(chat, update, cancellationToken);
            await SaveAsync(connection, transaction, chat, update, session, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await transaction.RollbackAsync("step", cancellationToken);
            await RecordFailureAsync(connection, transaction, chat, update, exception, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return true;
    }

    private async Task<ChatSession> HandleAsync(StoredChat chat, PendingUpdate pending, CancellationToken cancellationToken)
    {
        var update = JsonSerializer.Deserialize(pending.Payload, JsonBotSerializerContext.Default.Update)
            ?? throw new JsonException("The stored update is not an object.");
        var incoming = Incoming.Parse(pending.UpdateId, update);
        var from = incoming.From;
        var language = chat.LanguageOverride ?? Texts.Resolve(from?.LanguageCode ?? chat.Language);
        var data = JsonSerializer.Deserialize<ChatData>(chat.Data, DataJson) ?? new ChatData();
        var session = new ChatSession(chat.ChatId, from?.Id ?? chat.UserId, language, chat.State, data, texts, keyboards)
        {
            LanguageOverride = chat.LanguageOverride,
        };

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UpdateRouter>().RouteAsync(session, incoming, cancellationToken);
        return session;
    }

    private static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredChat chat, PendingUpdate update, ChatSession session, CancellationToken cancellationToken)
    {
        foreach (var (message, slot) in session.Outgoing)
        {
            await Outbox.AddAsync(connection, transaction, chat.ChatId, message, slot, cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE bot.chats SET user_id = $2, language = $3, language_override = $4, state = $5, data = $6, retry_at = NULL, updated_at = now(),
                blocked_at = CASE WHEN $7::boolean IS NULL THEN blocked_at WHEN $7 THEN coalesce(blocked_at, now()) END
            WHERE chat_id = $1
            """)
        {
            Parameters =
            {
                new() { Value = chat.ChatId },
                new() { Value = session.UserId },
                new() { Value = session.Language },
                new() { Value = (object?)session.LanguageOverride ?? DBNull.Value },
                new() { Value = session.State },
                new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(session.Data, DataJson) },
                new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)session.BlockedBot ?? DBNull.Value },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE bot.updates SET status = 1, processed_at = now(), attempts = attempts + 1 WHERE update_id = $1")
        {
            Parameters = { new() { Value = update.UpdateId } },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Backs the chat off (its later updates wait too, keeping their order); parks the update after the last attempt.</summary>
    private async Task RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredChat chat, PendingUpdate update, Exception exception, CancellationToken cancellationToken)
    {
        var chatId = chat.ChatId;
        var settings = options.Value;
        var attempts = update.Attempts + 1;
        var park = attempts >= settings.MaxUpdateAttempts;
        var delay = TimeSpan.FromMilliseconds(settings.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempts - 1));
        var error = exception.GetType().Name + ": " + exception.Message;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "UPDATE bot.updates SET attempts = $2, last_error = $3, status = CASE WHEN $4 THEN 2 ELSE 0 END WHERE update_id = $1")
            {
                Parameters = { new() { Value = update.UpdateId }, new() { Value = attempts }, new() { Value = error }, new() { Value = park } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE bot.chats SET retry_at = CASE WHEN $2 THEN NULL ELSE now() + $3 END WHERE chat_id = $1")
            {
                Parameters = { new() { Value = chatId }, new() { Value = park }, new() { Value = delay } },
            });
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!park)
        {
            LogRetry(logger, exception, update.UpdateId, chatId, attempts);
            return;
        }

        LogParked(logger, exception, update.UpdateId, chatId, attempts);
        var language = chat.LanguageOverride ?? chat.Language ?? "en";
        await Outbox.AddAsync(connection, transaction, chatId, new OutMessage { Kind = OutKind.SendText, Text = texts.Get(language, "error.internal") }, null, cancellationToken);
        foreach (var admin in settings.AdminIds)
        {
            var alert = new OutMessage { Kind = OutKind.SendText, Text = texts.Get("en", "admin.update_parked", update.UpdateId, chatId, error) };
            await Outbox.AddAsync(connection, transaction, admin, alert, null, cancellationToken);
        }
    }

    private sealed record StoredChat(long ChatId, long UserId, string? Language, string? LanguageOverride, string State, string Data);

    private sealed record PendingUpdate(long UpdateId, string Payload, int Attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox loop failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} of chat {ChatId} failed (attempt {Attempts}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, long updateId, long chatId, int attempts);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Update {UpdateId} of chat {ChatId} parked after {Attempts} attempts; admins alerted")]
    private static partial void LogParked(ILogger logger, Exception exception, long updateId, long chatId, int attempts);
}
