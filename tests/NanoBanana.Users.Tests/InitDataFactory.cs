using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NanoBanana.Users.Tests;

/// <summary>Builds initData the way Telegram does: URL-encoded fields plus the HMAC-SHA256 hash over the sorted, decoded fields.</summary>
internal static class InitDataFactory
{
    public const string BotToken = "7000000001:AAHtestTokenForUsersModuleTests_xyz";

    public static Dictionary<string, string> Fields(long userId, DateTimeOffset authDate, string? startParam = null, string firstName = "Ivan")
    {
        var fields = new Dictionary<string, string>
        {
            ["query_id"] = "AAHdF6IQAAAAAN0XohDhrOrc",
            ["user"] = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = userId,
                ["first_name"] = firstName,
                ["last_name"] = "Петров",
                ["username"] = $"user{userId}",
                ["language_code"] = "ru",
                ["is_premium"] = true,
                ["allows_write_to_pm"] = true,
            }),
            ["auth_date"] = authDate.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["signature"] = "c2lnbmF0dXJlLW5vdC1jaGVja2VkLWluLWhtYWMtbW9kZQ",
        };
        if (startParam is not null)
        {
            fields["start_param"] = startParam;
        }

        return fields;
    }

    public static string Hash(IReadOnlyDictionary<string, string> fields, string botToken = BotToken)
    {
        var dataCheckString = string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        var secret = HMACSHA256.HashData(Encoding.UTF8.GetBytes("WebAppData"), Encoding.UTF8.GetBytes(botToken));
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(dataCheckString)));
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static string Signed(IReadOnlyDictionary<string, string> fields, string botToken = BotToken) =>
        Encode(fields.Append(new KeyValuePair<string, string>("hash", Hash(fields, botToken))));

    public static string Create(long userId, DateTimeOffset authDate, string? startParam = null) => Signed(Fields(userId, authDate, startParam));
}
