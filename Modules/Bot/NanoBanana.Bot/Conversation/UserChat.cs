using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// The chat an integration event about a user is told in: its <see cref="Replies"/> (queued on the event
/// handler's inbox transaction, so a handled event and its messages commit together) and the bookkeeping
/// of the user's running jobs.
/// </summary>
internal sealed class UserChat
{
    private readonly BotDbContext _db;

    private UserChat(BotDbContext db, ReplyWriter replies)
    {
        _db = db;
        Replies = replies;
    }

    public ReplyWriter Replies { get; }

    public long ChatId => Replies.ChatId;

    public string Language => Replies.Language;

    public string T(string key, params object?[] args) => Replies.T(key, args);

    /// <summary>The user's private chat (chat id = user id) or else their most recent one; null if they never wrote.</summary>
    public static async Task<UserChat?> FindAsync(BotDbContext db, Texts texts, long userId, CancellationToken cancellationToken) =>
        await ReplyWriter.ForUserAsync(db, texts, userId, cancellationToken) is { } replies ? new UserChat(db, replies) : null;

    /// <summary>Lets <see cref="ProgressTicker"/> refresh a waiting job's queue place; a row already there (running) is left alone.</summary>
    public async Task TrackQueuedAsync(string jobId, string shownText, TimeSpan firstTickIn, CancellationToken cancellationToken)
    {
        await using var command = SqlSession.Command(_db, """
            INSERT INTO bot.running_jobs (job_id, chat_id, running_since, next_tick_at, queued_text) VALUES ($1, $2, NULL, now() + $3, $4)
            ON CONFLICT (job_id) DO NOTHING
            """);
        command.Parameters.AddWithValue(jobId);
        command.Parameters.AddWithValue(ChatId);
        command.Parameters.AddWithValue(firstTickIn);
        command.Parameters.AddWithValue(shownText);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Lets <see cref="ProgressTicker"/> show the elapsed time of a running job from <paramref name="runningSince"/>.</summary>
    public async Task TrackRunningAsync(string jobId, DateTimeOffset runningSince, TimeSpan firstTickIn, CancellationToken cancellationToken)
    {
        await using var command = SqlSession.Command(_db, """
            INSERT INTO bot.running_jobs (job_id, chat_id, running_since, next_tick_at) VALUES ($1, $2, $3, now() + $4)
            ON CONFLICT (job_id) DO UPDATE SET running_since = least(bot.running_jobs.running_since, excluded.running_since), queued_text = NULL
            """);
        command.Parameters.AddWithValue(jobId);
        command.Parameters.AddWithValue(ChatId);
        command.Parameters.AddWithValue(runningSince);
        command.Parameters.AddWithValue(firstTickIn);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks a job's outcome delivered; false when it already was (a second outcome event for the job).
    /// The running row goes first: deleting it waits for a tick holding it, so no tick follows the outcome.
    /// </summary>
    /// <summary>Stops the elapsed-time ticks of a job whose progress says more than the time (a video-tools step).</summary>
    public async Task StopTrackingAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var stop = SqlSession.Command(_db, "DELETE FROM bot.running_jobs WHERE job_id = $1");
        stop.Parameters.AddWithValue(jobId);
        await stop.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> FinishJobAsync(string jobId, bool succeeded, CancellationToken cancellationToken)
    {
        await using (var stopTicking = SqlSession.Command(_db, "DELETE FROM bot.running_jobs WHERE job_id = $1"))
        {
            stopTicking.Parameters.AddWithValue(jobId);
            await stopTicking.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = SqlSession.Command(
            _db,
            "INSERT INTO bot.finished_jobs (job_id, chat_id, succeeded) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue(jobId);
        command.Parameters.AddWithValue(ChatId);
        command.Parameters.AddWithValue(succeeded);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public static async Task<bool> IsFinishedAsync(BotDbContext db, string jobId, CancellationToken cancellationToken)
    {
        await using var command = SqlSession.Command(db, "SELECT EXISTS (SELECT 1 FROM bot.finished_jobs WHERE job_id = $1)");
        command.Parameters.AddWithValue(jobId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
