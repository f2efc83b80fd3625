namespace NanoBanana.Users.Access;

/// <summary>Configuration section <c>Auth</c>.</summary>
internal sealed class AuthOptions
{
    /// <summary>How old an initData <c>auth_date</c> may be.</summary>
    public TimeSpan InitDataMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future an <c>auth_date</c> may be (clock skew between Telegram and us).</summary>
    public TimeSpan InitDataMaxFutureSkew { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Base64 HMAC key (≥ 32 bytes) for session tokens; when empty one is generated and kept in the database so replicas agree.</summary>
    public string SessionSigningKey { get; set; } = "";
}

/// <summary>Token-bucket limits per principal and access level (configuration section <c>RateLimits</c>).</summary>
internal sealed class RateLimitOptions
{
    public BucketOptions Anonymous { get; set; } = new() { PerSecond = 5, Burst = 20 };

    public BucketOptions Public { get; set; } = new() { PerSecond = 10, Burst = 40 };

    public BucketOptions Internal { get; set; } = new() { PerSecond = 50, Burst = 200 };

    public sealed class BucketOptions
    {
        public double PerSecond { get; set; }

        public int Burst { get; set; }
    }
}
