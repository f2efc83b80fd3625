using System.Security.Cryptography;

namespace NanoBanana.Users.Domain;

/// <summary>
/// Short base62 referral codes. Random rather than derived from the user id, so a link does not
/// reveal who shared it; 8 characters (62^8 ≈ 2·10^14) make a collision at our scale negligible,
/// and the unique index turns the rare one into a retry.
/// </summary>
internal static class ReferralCode
{
    public const int Length = 8;
    public const string StartPrefix = "ref_";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static bool IsWellFormed(string code) => code.Length == Length && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>The code inside a start parameter such as <c>ref_AbC12345</c>, or null.</summary>
    public static string? FromStartParameter(string? startParameter) =>
        startParameter is not null && startParameter.StartsWith(StartPrefix, StringComparison.Ordinal) && IsWellFormed(startParameter[StartPrefix.Length..])
            ? startParameter[StartPrefix.Length..]
            : null;
}
