using NanoBanana.Bot.Persistence;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// The one way a reply is queued: to one chat, in that chat's language, inside the caller's transaction
/// (the one that changed the conversation or handled the event), so the replies exist exactly when the
/// change commits. <see cref="ReplySender"/> sends the rows; <see cref="ReplySignal"/> wakes it after the commit.
/// </summary>
internal sealed class ReplyWriter
{
    public const string MainLane = "main";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly Texts _texts;

    private ReplyWriter(NpgsqlConnection connection, NpgsqlTransaction? transaction, Texts texts, long chatId, string language)
    {
        _connection = connection;
        _transaction = transaction;
        _texts = texts;
        ChatId = chatId;
        Language = language;
    }

    public long ChatId { get; }

    /// <summary>One of <see cref="Texts.Languages"/>.</summary>
    public string Language { get; }

    public string T(string key, params object?[] args) => _texts.Get(Language, key, args);

    /// <summary>A chat whose language the caller already holds (the update worker, from the chat row it claimed).</summary>
    public static ReplyWriter For(NpgsqlConnection connection, NpgsqlTransaction? transaction, Texts texts, long chatId, string language) =>
        new(connection, transaction, texts, chatId, language);

    /// <summary>The chat <paramref name="chatId"/> in its stored language; null when the bot never saw the chat.</summary>
    public static Task<ReplyWriter?> ForChatAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Texts texts, long chatId, CancellationToken cancellationToken) =>
        FindAsync(connection, transaction, texts, "SELECT chat_id, language_override, language FROM bot.chats WHERE chat_id = $1", chatId, cancellationToken);

    /// <summary>The user's private chat (chat id = user id) or else their most recent one; null if they never wrote.</summary>
    public static Task<ReplyWriter?> ForUserAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Texts texts, long userId, CancellationToken cancellationToken) =>
        FindAsync(connection, transaction, texts, """
            SELECT chat_id, language_override, language FROM bot.chats
            WHERE user_id = $1 ORDER BY (chat_id = $1) DESC, updated_at DESC LIMIT 1
            """, userId, cancellationToken);

    /// <summary>The same on the handler's EF Core connection and transaction (integration event handlers).</summary>
    public static Task<ReplyWriter?> ForUserAsync(BotDbContext db, Texts texts, long userId, CancellationToken cancellationToken) =>
        ForUserAsync(SqlSession.ConnectionOf(db), SqlSession.TransactionOf(db), texts, userId, cancellationToken);

    /// <summary>An admin's private chat (chat id = user id), in their language when they wrote to the bot, else English.</summary>
    public static async Task<ReplyWriter> ForAdminAsync(BotDbContext db, Texts texts, long adminId, CancellationToken cancellationToken) =>
        await ForUserAsync(db, texts, adminId, cancellationToken) is { } chat && chat.ChatId == adminId
            ? chat
            : new ReplyWriter(SqlSession.ConnectionOf(db), SqlSession.TransactionOf(db), texts, adminId, Texts.LanguageOf(null, null));

    /// <summary>Queues <paramref name="message"/>; an edit of a <paramref name="slot"/> rewrites a queued one of the slot (latest wins).</summary>
    public async Task AddAsync(OutMessage message, CancellationToken cancellationToken, string? slot = null)
    {
        if (message.Kind == OutKind.EditText && slot is not null && message.MessageId is null)
        {
            // Latest text wins: rewrite a queued send or edit of the slot that no sender holds yet.
            await using var coalesce = SqlSession.Command(_connection, _transaction, """
                UPDATE bot.outbound SET payload = jsonb_set(jsonb_set(payload, '{text}', to_jsonb($3::text)), '{inline}', coalesce($4::jsonb -> 'inline', 'null'::jsonb))
                WHERE id = (SELECT id FROM bot.outbound
                            WHERE chat_id = $1 AND slot = $2 AND sent_at IS NULL AND failed_at IS NULL
                              AND (locked_until IS NULL OR locked_until < now())
                            ORDER BY id DESC LIMIT 1)
                  -- Repeated on the row itself: if a sender claimed it while this waited for its lock,
                  -- PostgreSQL re-checks these on the new version and nothing is rewritten (the sender
                  -- already read the old text); the edit is then queued as a new row.
                  AND sent_at IS NULL AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < now())
                """);
            coalesce.Parameters.AddWithValue(ChatId);
            coalesce.Parameters.AddWithValue(slot);
            coalesce.Parameters.AddWithValue(message.Text ?? "");
            coalesce.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = message.ToJson() });
            if (await coalesce.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                return;
            }
        }

        var lane = message.Kind == OutKind.EditText && slot is not null ? "slot:" + slot : MainLane;
        await using var insert = SqlSession.Command(
            _connection, _transaction,
            "INSERT INTO bot.outbound (chat_id, lane, slot, payload) VALUES ($1, $2, $3, $4)");
        insert.Parameters.AddWithValue(ChatId);
        insert.Parameters.AddWithValue(lane);
        insert.Parameters.AddWithValue((object?)slot ?? DBNull.Value);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = message.ToJson() });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<ReplyWriter?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Texts texts, string sql, long id, CancellationToken cancellationToken)
    {
        await using var command = SqlSession.Command(connection, transaction, sql);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReplyWriter(connection, transaction, texts, reader.GetInt64(0),
                Texts.LanguageOf(reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)))
            : null;
    }
}
