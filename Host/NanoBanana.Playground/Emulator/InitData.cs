using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>
/// Mini App launch data signed the way Telegram does: data_check_string = sorted key=value lines,
/// secret = HMAC_SHA256(key "WebAppData", bot token), hash = hex HMAC_SHA256(secret, data_check_string).
/// No Ed25519 <c>signature</c> field: only Telegram holds that key.
/// </summary>
internal static class InitData
{
    private static readonly JsonSerializerOptions RawUnicode = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Sign(string botToken, User user, DateTimeOffset authDate, string? startParam)
    {
        var userJson = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = user.Id,
            ["first_name"] = user.FirstName,
            ["last_name"] = user.LastName ?? "",
            ["username"] = user.Username ?? "",
            ["language_code"] = user.LanguageCode ?? "en",
            ["allows_write_to_pm"] = true,
        }, RawUnicode);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_date"] = authDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["query_id"] = "AAF" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)),
            ["user"] = userJson,
            ["chat_type"] = "private",
            ["chat_instance"] = user.Id.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(startParam))
        {
            fields["start_param"] = startParam;
        }

        var dataCheckString = string.Join('\n', fields.Select(f => $"{f.Key}={f.Value}"));
        var secret = HMACSHA256.HashData(Encoding.UTF8.GetBytes("WebAppData"), Encoding.UTF8.GetBytes(botToken));
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(dataCheckString)));
        fields["hash"] = hash;
        return string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
    }
}
