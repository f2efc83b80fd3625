using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Bot.Outbound;

/// <summary>
/// Queues outgoing calls inside the caller's transaction (the one that changed the conversation),
/// so an update's replies exist exactly when the update counts as processed.
/// </summary>
internal sealed class Outbox(OutboundSignal signal)
{
    public const string MainLane = "main";

    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long chatId, OutMessage message, string? slot, CancellationToken cancellationToken)
    {
        if (message.Kind == OutKind.EditText && slot is not null && message.MessageId is null)
        {
            // Latest text wins: rewrite a queued send or edit of the slot that no sender holds yet.
            await using var coalesce = new NpgsqlCommand("""
                UPDATE bot.outbound SET payload = jsonb_set(jsonb_set(payload, '{text}', to_jsonb($3::text)), '{inline}', coalesce($4::jsonb -> 'inline', 'null'::jsonb))
                WHERE id = (SELECT id FROM bot.outbound
                            WHERE chat_id = $1 AND slot = $2 AND sent_at IS NULL AND failed_at IS NULL
                              AND (locked_until IS NULL OR locked_until < now())
                            ORDER BY id DESC LIMIT 1)
                  -- Repeated on the row itself: if a sender claimed it while this waited for its lock,
                  -- PostgreSQL re-checks these on the new version and nothing is rewritten (the sender
                  -- already read the old text); the edit is then queued as a new row.
                  AND sent_at IS NULL AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < now())
                """, connection, transaction);
            coalesce.Parameters.AddWithValue(chatId);
            coalesce.Parameters.AddWithValue(slot);
            coalesce.Parameters.AddWithValue(message.Text ?? "");
            coalesce.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = message.ToJson() });
            if (await coalesce.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                return;
            }
        }

        var lane = message.Kind == OutKind.EditText && slot is not null ? "slot:" + slot : MainLane;
        await using var insert = new NpgsqlCommand(
            "INSERT INTO bot.outbound (chat_id, lane, slot, payload) VALUES ($1, $2, $3, $4)", connection, transaction);
        insert.Parameters.AddWithValue(chatId);
        insert.Parameters.AddWithValue(lane);
        insert.Parameters.AddWithValue((object?)slot ?? DBNull.Value);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = message.ToJson() });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Call after commit.</summary>
    public void Notify() => signal.Notify();
}
