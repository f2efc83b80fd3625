using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace NanoBanana.Users.Access;

/// <summary>The Telegram user inside a verified initData.</summary>
internal sealed record InitDataUser(long Id, string FirstName, string? LastName, string? Username, string? LanguageCode, bool IsPremium);

/// <summary>A verified initData: who signed in, when Telegram issued it, and the Mini App start parameter.</summary>
internal sealed record VerifiedInitData(InitDataUser User, DateTimeOffset AuthDate, string? StartParam);

internal enum InitDataRejection
{
    None,
    Malformed,
    BadSignature,
    Expired,
    FromTheFuture,
}

internal sealed record InitDataCheck(VerifiedInitData? Data, InitDataRejection Rejection, string Reason)
{
    public static InitDataCheck Reject(InitDataRejection rejection, string reason) => new(null, rejection, reason);
}

/// <summary>
/// Validates Mini App initData as Telegram specifies: every field but <c>hash</c> (so including
/// <c>signature</c>) sorted by key as <c>key=value</c> lines, HMAC-SHA256 keyed with
/// HMAC-SHA256("WebAppData", bot token), compared in constant time; then the <c>auth_date</c> window.
/// Never throws on input: anything malformed is a rejection.
/// </summary>
internal static class InitData
{
    /// <summary>Real initData is a few hundred bytes; anything far larger is not from Telegram.</summary>
    public const int MaxLength = 16 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="signaturePublicKey">
    /// Telegram's Ed25519 key; when given, the <c>signature</c> field must also verify over
    /// <c>"&lt;bot id&gt;:WebAppData\n"</c> + the sorted fields without <c>hash</c> and <c>signature</c>.
    /// </param>
    public static InitDataCheck Validate(string initData, string botToken, DateTimeOffset now, TimeSpan maxAge, TimeSpan maxFutureSkew, byte[]? signaturePublicKey = null)
    {
        if (initData.Length == 0 || initData.Length > MaxLength)
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, "initData is empty or too long.");
        }

        if (!TryParse(initData, out var fields, out var reason))
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, reason);
        }

        if (!fields.Remove("hash", out var hash) || hash.Length != 64)
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, "initData has no valid hash.");
        }

        byte[] expectedHash;
        try
        {
            expectedHash = Convert.FromHexString(hash);
        }
        catch (FormatException)
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, "initData hash is not hex.");
        }

        var dataCheckString = string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        var secretKey = HMACSHA256.HashData(Encoding.UTF8.GetBytes("WebAppData"), Encoding.UTF8.GetBytes(botToken));
        var actualHash = HMACSHA256.HashData(secretKey, Encoding.UTF8.GetBytes(dataCheckString));
        if (!CryptographicOperations.FixedTimeEquals(actualHash, expectedHash))
        {
            return InitDataCheck.Reject(InitDataRejection.BadSignature, "initData signature does not match.");
        }

        if (signaturePublicKey is not null && !SignatureVerifies(fields, botToken, signaturePublicKey))
        {
            return InitDataCheck.Reject(InitDataRejection.BadSignature, "initData Ed25519 signature is missing or does not verify.");
        }

        if (!fields.TryGetValue("auth_date", out var authDateText)
            || !long.TryParse(authDateText, NumberStyles.None, CultureInfo.InvariantCulture, out var authDateSeconds)
            || authDateSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, "initData has no valid auth_date.");
        }

        var authDate = DateTimeOffset.FromUnixTimeSeconds(authDateSeconds);
        if (authDate > now + maxFutureSkew)
        {
            return InitDataCheck.Reject(InitDataRejection.FromTheFuture, "initData auth_date is in the future.");
        }

        if (now - authDate > maxAge)
        {
            return InitDataCheck.Reject(InitDataRejection.Expired, "initData has expired; reopen the Mini App.");
        }

        if (!fields.TryGetValue("user", out var userJson) || ParseUser(userJson) is not { } user)
        {
            return InitDataCheck.Reject(InitDataRejection.Malformed, "initData has no valid user.");
        }

        return new InitDataCheck(new VerifiedInitData(user, authDate, fields.GetValueOrDefault("start_param")), InitDataRejection.None, "");
    }

    private static bool SignatureVerifies(Dictionary<string, string> fields, string botToken, byte[] publicKey)
    {
        var signature = new byte[64];
        if (!fields.TryGetValue("signature", out var encoded)
            || System.Buffers.Text.Base64Url.DecodeFromChars(encoded, signature, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 64)
        {
            return false;
        }

        var botId = botToken.Split(':')[0];
        var lines = fields.Where(f => f.Key != "signature").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value);
        var message = botId + ":WebAppData\n" + string.Join('\n', lines);
        return Ed25519Verifies(publicKey, Encoding.UTF8.GetBytes(message), signature);
    }

    /// <summary>RFC 8032 Ed25519 verification by NSec (libsodium); a key that is not 32 bytes of a valid point never verifies.</summary>
    internal static bool Ed25519Verifies(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key)
        && SignatureAlgorithm.Ed25519.Verify(key!, message, signature);

    /// <summary>Splits the query string and percent-decodes keys and values as strict UTF-8; duplicate keys are refused (ambiguous).</summary>
    internal static bool TryParse(string query, out Dictionary<string, string> fields, out string reason)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0
                || !TryDecode(pair.AsSpan(0, separator), out var key)
                || !TryDecode(pair.AsSpan(separator + 1), out var value))
            {
                reason = "initData is not a valid query string.";
                return false;
            }

            if (!fields.TryAdd(key, value))
            {
                reason = $"initData repeats the field '{key}'.";
                return false;
            }
        }

        reason = "";
        return true;
    }

    private static bool TryDecode(ReadOnlySpan<char> encoded, out string decoded)
    {
        decoded = "";
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                return false; // Raw non-ASCII is not valid in a query string.
            }
        }

        try
        {
            decoded = StrictUtf8.GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static InitDataUser? ParseUser(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var userId) || userId <= 0
                || !root.TryGetProperty("first_name", out var firstName) || firstName.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return new InitDataUser(
                userId,
                firstName.GetString()!,
                OptionalString(root, "last_name"),
                OptionalString(root, "username"),
                OptionalString(root, "language_code"),
                root.TryGetProperty("is_premium", out var premium) && premium.ValueKind == JsonValueKind.True);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
