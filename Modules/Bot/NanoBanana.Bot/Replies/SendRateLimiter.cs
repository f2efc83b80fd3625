using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NanoBanana.Bot.Replies;

/// <summary>
/// Token buckets: one for the whole bot, one per chat, plus a pause set by flood control (429).
/// In-process: with several replicas each gets its share of the global rate (see ADR 0072).
/// </summary>
internal sealed class SendRateLimiter(IOptions<BotOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, Bucket> _chats = new();
    private Bucket? _global;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Takes a token for <paramref name="chatId"/>; otherwise returns how long to wait.</summary>
    public TimeSpan TryAcquire(long chatId)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_pausedUntil > now)
            {
                return _pausedUntil - now;
            }

            _global ??= new Bucket(settings.GlobalMessagesPerSecond, Math.Max(1, settings.GlobalMessagesPerSecond), now);
            var chat = _chats.GetOrAdd(chatId, _ => new Bucket(settings.ChatMessagesPerSecond, settings.ChatBurst, now));
            var globalWait = _global.WaitFor(now);
            var chatWait = chat.WaitFor(now);
            if (globalWait > TimeSpan.Zero || chatWait > TimeSpan.Zero)
            {
                return globalWait > chatWait ? globalWait : chatWait;
            }

            _global.Take();
            chat.Take();
            return TimeSpan.Zero;
        }
    }

    /// <summary>Flood control answered 429: nothing leaves this process until <paramref name="retryAfter"/> passed.</summary>
    public void Pause(TimeSpan retryAfter)
    {
        var until = clock.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    private sealed class Bucket(double perSecond, double capacity, DateTimeOffset now)
    {
        private readonly double _capacity = capacity;
        private double _tokens = capacity;
        private DateTimeOffset _updated = now;

        public TimeSpan WaitFor(DateTimeOffset at)
        {
            _tokens = Math.Min(_capacity, _tokens + ((at - _updated).TotalSeconds * perSecond));
            _updated = at;
            return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / perSecond);
        }

        public void Take() => _tokens -= 1;
    }
}
