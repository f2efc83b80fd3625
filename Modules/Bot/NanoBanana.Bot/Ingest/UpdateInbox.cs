using System.Text;
using NanoBanana.Bot.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Bot.Ingest;

/// <summary>Durable store of incoming updates; both the webhook and long polling write here.</summary>
internal sealed class UpdateInbox(BotDatabase database, InboxSignal signal)
{
    // One round trip: the update (ignored when its update_id is known) and the chat row workers lock.
    // ON CONFLICT DO NOTHING on the chat takes no row lock, so ingest never waits for a busy chat.
    private const string StoreSql = """
        WITH stored AS (
            INSERT INTO bot.updates (update_id, chat_id, kind, payload) VALUES ($1, $2, $3, $4)
            ON CONFLICT (update_id) DO NOTHING
            RETURNING chat_id),
        chat AS (
            INSERT INTO bot.chats (chat_id) SELECT chat_id FROM stored
            ON CONFLICT (chat_id) DO NOTHING)
        SELECT count(*) FROM stored
        """;

    /// <summary>Stores the update; false when it was already stored (a redelivery).</summary>
    public async Task<bool> StoreAsync(UpdateEnvelope envelope, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await using var command = database.Command(StoreSql);
        command.Parameters.AddWithValue(envelope.UpdateId);
        command.Parameters.AddWithValue(envelope.ChatId);
        command.Parameters.AddWithValue(envelope.Kind);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Encoding.UTF8.GetString(json.Span) });
        var stored = (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        if (stored)
        {
            signal.Notify();
        }

        return stored;
    }
}
