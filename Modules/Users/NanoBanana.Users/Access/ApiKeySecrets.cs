using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NanoBanana.Users.Access;

/// <summary>API key secrets: 32 random bytes shown once as <c>nbk_&lt;base64url&gt;</c>; only SHA-256 is stored (high entropy needs no slow hash).</summary>
internal static class ApiKeySecrets
{
    private const string Prefix = "nbk_";

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool LooksLikeKey(string secret) => secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.Length <= 128;
}
