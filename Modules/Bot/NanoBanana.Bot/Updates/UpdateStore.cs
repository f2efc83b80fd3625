using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using NanoBanana.Bot.Persistence;
using NanoBanana.BuildingBlocks.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace NanoBanana.Bot.Updates;

/// <summary>
/// Durable store of incoming updates; both the webhook and long polling write here. Concurrent
/// updates are group-committed: a few writers each take whatever is waiting (up to
/// <see cref="MaxBatch"/>) and store it with one statement and one commit, and every caller is
/// answered only after that commit — durable like one insert per request, without one fsync per request.
/// </summary>
internal sealed class UpdateStore(SqlSession database, UpdateSignal signal) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int Writers = 4;

    // Dedupe on update_id (also within a batch) and create the chat row workers claim.
    // ON CONFLICT DO NOTHING on the chat takes no row lock, so ingest never waits for a busy chat. It does
    // wait for another batch's uncommitted insert of the same new chat (or update id), so every batch
    // inserts its keys in ascending order: writers then wait for each other in one direction only and
    // cannot deadlock. Without the ORDER BY the planner de-duplicates the chats with a hash table, whose
    // order depends on the batch size (two batches put the same new chats in different orders: 40P01).
    private const string StoreSql = """
        WITH input AS (
            SELECT DISTINCT ON (update_id) update_id, chat_id, kind, payload
            FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::jsonb[]) AS t(update_id, chat_id, kind, payload)
            ORDER BY update_id),
        stored AS (
            INSERT INTO bot.updates (update_id, chat_id, kind, payload) SELECT update_id, chat_id, kind, payload FROM input
            ON CONFLICT (update_id) DO NOTHING
            RETURNING update_id, chat_id),
        chat AS (
            INSERT INTO bot.chats (chat_id) SELECT DISTINCT chat_id FROM stored ORDER BY chat_id
            ON CONFLICT (chat_id) DO NOTHING)
        SELECT update_id FROM stored
        """;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>Stores the update; false when it was already stored (a redelivery). Returns after the commit.</summary>
    public Task<bool> StoreAsync(UpdateEnvelope envelope, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var pending = new Pending(envelope, System.Text.Encoding.UTF8.GetString(json.Span), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The update store is shutting down.");
        }

        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stores a long poll's answer with one statement and one commit, all or nothing; returns the ids newly stored
    /// (a redelivered one is missing). One batch keeps the answer's order: a chat's later update never commits first.
    /// </summary>
    public async Task<HashSet<long>> StoreAllAsync(IReadOnlyList<(UpdateEnvelope Envelope, string Json)> updates, CancellationToken cancellationToken)
    {
        var stored = await WriteAsync(updates, cancellationToken);
        signal.Notify();
        return stored;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => WriteLoopAsync(stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var stored = await WriteAsync([.. batch.Select(p => (p.Envelope, p.Json))], stoppingToken);
                foreach (var pending in batch)
                {
                    // Within one batch only the first copy of an update counts as newly stored.
                    pending.Stored.TrySetResult(stored.Remove(pending.Envelope.UpdateId));
                }

                signal.Notify();
            }
            catch (Exception exception)
            {
                // Nothing acknowledged: the callers answer 500 and Telegram delivers again.
                foreach (var pending in batch)
                {
                    pending.Stored.TrySetException(exception);
                }
            }
        }
    }

    private async Task<HashSet<long>> WriteAsync(IReadOnlyList<(UpdateEnvelope Envelope, string Json)> batch, CancellationToken cancellationToken)
    {
        await using var command = database.Command(StoreSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = batch.Select(p => p.Envelope.UpdateId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = batch.Select(p => p.Envelope.ChatId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = batch.Select(p => p.Envelope.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb, Value = batch.Select(p => p.Json).ToArray() });
        var stored = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetInt64(0));
        }

        return stored;
    }

    private sealed record Pending(UpdateEnvelope Envelope, string Json, TaskCompletionSource<bool> Stored);
}
