using System.Collections.Concurrent;

namespace NanoBanana.Users.Access;

/// <summary>
/// In-memory token buckets keyed by principal. Per replica: with N replicas a principal gets up to
/// N× the rate, which is acceptable for abuse protection (ADR 0032). Idle, full buckets are dropped.
/// </summary>
internal sealed class TokenBucketLimiter(TimeProvider clock)
{
    private const int PruneThreshold = 10_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token; when none is left, returns how long until one is.</summary>
    public TimeSpan? TryAcquire(string key, double perSecond, int burst)
    {
        if (perSecond <= 0 || burst <= 0)
        {
            return null; // A level with no limit configured.
        }

        var now = clock.GetTimestamp();
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            // Count takes every lock of the dictionary: only a new key, the one way it grows, pays for it.
            if (_buckets.Count > PruneThreshold)
            {
                Prune(now, perSecond, burst);
            }

            bucket = _buckets.GetOrAdd(key, _ => new Bucket(burst, now));
        }

        lock (bucket)
        {
            var elapsed = clock.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * perSecond));
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return null;
            }

            return TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
        }
    }

    private void Prune(long now, double perSecond, int burst)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Tokens + (clock.GetElapsedTime(bucket.Updated, now).TotalSeconds * perSecond) >= burst)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public long Updated { get; set; } = updated;
    }
}
