namespace NanoBanana.Users.Access;

/// <summary>Configuration section <c>Auth</c>.</summary>
internal sealed class AuthOptions
{
    /// <summary>How old an initData <c>auth_date</c> may be.</summary>
    public TimeSpan InitDataMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future an <c>auth_date</c> may be (clock skew between Telegram and us).</summary>
    public TimeSpan InitDataMaxFutureSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Telegram's Ed25519 public key (hex) for the third-party <c>signature</c> check; when set, sign-in
    /// also requires a valid signature. Production: e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d,
    /// test environment: 40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec.
    /// </summary>
    public string InitDataSignaturePublicKey { get; set; } = "";

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

    internal sealed class BucketOptions
    {
        public double PerSecond { get; set; }

        public int Burst { get; set; }
    }
}
