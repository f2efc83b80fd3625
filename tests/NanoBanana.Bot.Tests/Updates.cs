using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace NanoBanana.Bot.Tests;

/// <summary>Hand-made updates posted straight to the webhook, for cases a real client cannot produce on demand.</summary>
internal static class Updates
{
    private static int _next = 1_500_000_000 + Random.Shared.Next(0, 100_000_000);

    public static int NextId() => Interlocked.Increment(ref _next);

    public static string Text(int updateId, long userId, string text, string language = "en") => new JsonObject
    {
        ["update_id"] = updateId,
        ["message"] = Message(userId, language, new JsonObject { ["text"] = text }),
    }.ToJsonString();

    public static string Photo(int updateId, long userId, string fileId, string? mediaGroupId) => new JsonObject
    {
        ["update_id"] = updateId,
        ["message"] = Message(userId, "en", new JsonObject
        {
            ["media_group_id"] = mediaGroupId,
            ["photo"] = new JsonArray(new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = fileId, ["width"] = 8, ["height"] = 8 }),
        }),
    }.ToJsonString();

    private static JsonObject Message(long userId, string language, JsonObject content)
    {
        var message = new JsonObject
        {
            ["message_id"] = Random.Shared.Next(1, 1_000_000),
            ["date"] = 1_795_000_000,
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = "Ann" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ann", ["language_code"] = language },
        };
        foreach (var (key, value) in content)
        {
            message[key] = value?.DeepClone();
        }

        return message;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient host, string body, string? secret = BotHarness.Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return await host.SendAsync(request);
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
