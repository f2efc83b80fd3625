using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Keeps "Generating… N s" moving while a job runs, and "#3 in queue · about 40 s" current while it waits:
/// Generation reports only state changes, and a progress message frozen for a minute reads as a hung bot. Due rows are
/// claimed with <c>SKIP LOCKED</c> (one replica ticks a job), and the outcome handlers delete the
/// row under its lock before they write "Done", so a tick can never land after the outcome.
/// </summary>
internal sealed partial class ProgressTicker(
    SqlSession database,
    IServiceScopeFactory scopes,
    Texts texts,
    ReplySignal signal,
    IOptions<BotOptions> options,
    ILogger<ProgressTicker> logger) : BackgroundService
{
    /// <summary>Generation's longest deadline; a row older than this lost its outcome event and is dropped.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ProgressTickInterval;
        return new WorkLoop("the progress ticker", logger) { IdleWait = interval / 2 }.RunAsync(
            async cancellationToken =>
            {
                if (await TickAsync(interval, cancellationToken) > 0)
                {
                    signal.Notify();
                }

                return false;
            },
            stoppingToken);
    }

    private async Task<int> TickAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var drop = SqlSession.Command(connection, transaction, "DELETE FROM bot.running_jobs WHERE running_since < now() - $1"))
        {
            drop.Parameters.AddWithValue(Abandoned);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        var due = new List<DueJob>();
        await using (var claim = SqlSession.Command(connection, transaction, """
            WITH due AS (
                SELECT job_id FROM bot.running_jobs WHERE next_tick_at <= now()
                ORDER BY next_tick_at LIMIT 500 FOR UPDATE SKIP LOCKED)
            UPDATE bot.running_jobs r SET next_tick_at = now() + $1
            FROM due WHERE r.job_id = due.job_id
            RETURNING r.chat_id, r.job_id, extract(epoch FROM now() - r.running_since)::int, r.queued_text,
                      (SELECT c.user_id FROM bot.chats c WHERE c.chat_id = r.chat_id)
            """))
        {
            claim.Parameters.AddWithValue(interval);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueJob(
                    reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
            }
        }

        var edits = 0;
        foreach (var job in due)
        {
            if (await ReplyWriter.ForChatAsync(connection, transaction, texts, job.ChatId, cancellationToken) is not { } replies)
            {
                continue;
            }

            string T(string key, object?[] args) => replies.T(key, args);
            string? text;
            if (job.ElapsedSeconds is { } elapsed)
            {
                text = Progress.Text(T, JobStatus.Running, 0, 0, Math.Max(0, elapsed));
            }
            else
            {
                text = await WaitingTextAsync(connection, transaction, job, T, interval, cancellationToken);
                if (text == job.QueuedText)
                {
                    continue;
                }
            }

            if (text is not null)
            {
                await replies.AddAsync(new OutMessage { Kind = OutKind.EditText, Text = text }, cancellationToken, Progress.Slot(job.JobId));
                edits++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return edits;
    }

    /// <summary>
    /// A waiting job's place and time left, as Generation reports them now (the same numbers as the API's job);
    /// once it runs, the row starts counting seconds; once it ended, the row goes (its outcome event tells the rest).
    /// </summary>
    private async Task<string?> WaitingTextAsync(
        Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, DueJob due, Func<string, object?[], string> t, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var job = (await scope.ServiceProvider.GetRequiredService<ModuleGateway>().AsUserAsync(due.UserId, new GetGenerationRequest { JobId = due.JobId }, cancellationToken)).Require("GetGeneration").Job;
        if (job.Status == JobStatus.Queued)
        {
            var text = Progress.Text(t, JobStatus.Queued, job.QueuePosition, job.EstimateSeconds, 0);
            await SqlSession.ExecuteAsync(connection, transaction, "UPDATE bot.running_jobs SET queued_text = $2 WHERE job_id = $1", cancellationToken, due.JobId, text);
            return text;
        }

        if (job.Status == JobStatus.Running)
        {
            await SqlSession.ExecuteAsync(
                connection, transaction, "UPDATE bot.running_jobs SET running_since = now() - $2, queued_text = NULL, next_tick_at = now() + $3 WHERE job_id = $1", cancellationToken,
                due.JobId, TimeSpan.FromSeconds(job.ElapsedSeconds), interval);
            return Progress.Text(t, JobStatus.Running, 0, 0, job.ElapsedSeconds);
        }

        await SqlSession.ExecuteAsync(connection, transaction, "DELETE FROM bot.running_jobs WHERE job_id = $1", cancellationToken, due.JobId);
        return null;
    }

    private sealed record DueJob(long ChatId, string JobId, int? ElapsedSeconds, string? QueuedText, long UserId);

}
