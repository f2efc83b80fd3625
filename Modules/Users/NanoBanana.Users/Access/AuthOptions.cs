using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NanoBanana.Users.Access;

/// <summary>Configuration section <c>Auth</c>.</summary>
internal sealed class AuthOptions : IValidatableObject
{
    /// <summary>How old an initData <c>auth_date</c> may be.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan InitDataMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How far in the future an <c>auth_date</c> may be (clock skew between Telegram and us).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitDataMaxFutureSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Telegram's Ed25519 public key (hex) for the third-party <c>signature</c> check; when set, sign-in
    /// also requires a valid signature. Production: e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d,
    /// test environment: 40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec.
    /// </summary>
    public string InitDataSignaturePublicKey { get; set; } = "";

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Base64 HMAC key (≥ 32 bytes) for session tokens; when empty one is generated and kept in the database so replicas agree.</summary>
    public string SessionSigningKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InitDataSignaturePublicKey.Length > 0 && (InitDataSignaturePublicKey.Length != 64 || !InitDataSignaturePublicKey.All(char.IsAsciiHexDigit)))
        {
            yield return new ValidationResult("must be Telegram's Ed25519 public key: 64 hex digits", [nameof(InitDataSignaturePublicKey)]);
        }

        if (SessionSigningKey.Length > 0 && !IsKeyOfAtLeast32Bytes(SessionSigningKey))
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes", [nameof(SessionSigningKey)]);
        }
    }

    private static bool IsKeyOfAtLeast32Bytes(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }
}

/// <summary>Token-bucket limits per principal and access level (configuration section <c>RateLimits</c>).</summary>
internal sealed class RateLimitOptions
{
    [ValidateObjectMembers]
    public BucketOptions Anonymous { get; set; } = new() { PerSecond = 5, Burst = 20 };

    [ValidateObjectMembers]
    public BucketOptions Public { get; set; } = new() { PerSecond = 10, Burst = 40 };

    [ValidateObjectMembers]
    public BucketOptions Internal { get; set; } = new() { PerSecond = 50, Burst = 200 };

    internal sealed class BucketOptions
    {
        [Range(0.01, 10_000_000.0)]
        public double PerSecond { get; set; }

        [Range(1, 100_000_000)]
        public int Burst { get; set; }
    }
}
