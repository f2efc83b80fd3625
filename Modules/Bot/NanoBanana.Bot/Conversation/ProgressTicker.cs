using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Ingest;
using NanoBanana.Bot.Outbound;
using NanoBanana.Bot.Persistence;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Keeps "Generating… N s" moving while a job runs: Generation reports only state changes, and a
/// progress message frozen for a minute of video generation reads as a hung bot. Due rows are
/// claimed with <c>SKIP LOCKED</c> (one replica ticks a job), and the outcome handlers delete the
/// row under its lock before they write "Done", so a tick can never land after the outcome.
/// </summary>
internal sealed partial class ProgressTicker(
    BotDatabase database,
    Texts texts,
    OutboundSignal signal,
    IOptions<BotOptions> options,
    ILogger<ProgressTicker> logger) : BackgroundService
{
    /// <summary>Generation's longest deadline; a row older than this lost its outcome event and is dropped.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ProgressTickInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TickAsync(interval, stoppingToken) > 0)
                {
                    signal.Notify();
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, exception);
            }

            await Task.Delay(interval / 2, stoppingToken);
        }
    }

    private async Task<int> TickAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var drop = new Npgsql.NpgsqlCommand("DELETE FROM bot.running_jobs WHERE running_since < now() - $1", connection, transaction))
        {
            drop.Parameters.AddWithValue(Abandoned);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        var due = new List<(long ChatId, string JobId, string? Language, int Elapsed)>();
        await using (var claim = new Npgsql.NpgsqlCommand("""
            WITH due AS (
                SELECT job_id FROM bot.running_jobs WHERE next_tick_at <= now()
                ORDER BY next_tick_at LIMIT 500 FOR UPDATE SKIP LOCKED)
            UPDATE bot.running_jobs r SET next_tick_at = now() + $1
            FROM due WHERE r.job_id = due.job_id
            RETURNING r.chat_id, r.job_id,
                      (SELECT coalesce(c.language_override, c.language) FROM bot.chats c WHERE c.chat_id = r.chat_id),
                      extract(epoch FROM now() - r.running_since)::int
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue(interval);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
            }
        }

        foreach (var (chatId, jobId, language, elapsed) in due)
        {
            var text = Progress.Text((key, args) => texts.Get(Texts.Resolve(language), key, args), JobStatus.Running, 0, Math.Max(0, elapsed));
            await Outbox.AddAsync(connection, transaction, chatId, new OutMessage { Kind = OutKind.EditText, Text = text }, Progress.Slot(jobId), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Progress tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
