using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>Long polling stores each update as Telegram sent it, exactly like the webhook (ADR 0189).</summary>
public sealed class LongPollTests
{
    private const string Token = "4242:raw-updates";

    // A message with a field Telegram.Bot 22.10 does not know, and a top-level field it does not know either.
    private const string Update = """
        {"update_id":91000,"future_hint":7,"message":{"message_id":1,"date":1765000000,
         "chat":{"id":91001,"type":"private","first_name":"Ann"},
         "from":{"id":91001,"is_bot":false,"first_name":"Ann","language_code":"en"},
         "text":"/help","field_from_the_future":{"kept":true}}}
        """;

    // The same chat's next message, in the same getUpdates answer.
    private const string NextUpdate = """
        {"update_id":91002,"message":{"message_id":2,"date":1765000001,
         "chat":{"id":91001,"type":"private","first_name":"Ann"},
         "from":{"id":91001,"is_bot":false,"first_name":"Ann","language_code":"en"},
         "text":"/balance"}}
        """;

    [Fact]
    public async Task A_polled_update_keeps_the_fields_the_client_library_does_not_know()
    {
        await using var bot = await PollingBot.StartAsync("bot_long_poll");
        var connectionString = bot.ConnectionString;

        var stored = await StoredPayloadAsync(connectionString, 91000);

        Assert.Equal(7, stored["future_hint"]!.GetValue<int>());
        Assert.True(stored["message"]!["field_from_the_future"]!["kept"]!.GetValue<bool>());
        Assert.Equal("/help", stored["message"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_getUpdates_answer_is_stored_in_one_transaction()
    {
        await using var bot = await PollingBot.StartAsync("bot_long_poll_batch");
        var connectionString = bot.ConnectionString;
        await StoredPayloadAsync(connectionString, 91002);

        // All or none of an answer, one commit: a chat's later update cannot be stored (and worked) before its earlier one.
        // received_at is the storing transaction's now(), and processing the updates leaves it alone.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT received_at) FROM bot.updates WHERE update_id IN (91000, 91002)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(2, reader.GetInt64(0));
        Assert.Equal(1, reader.GetInt64(1));
    }

    /// <summary>
    /// A Bot API peer that hands out <see cref="Update"/> and <see cref="NextUpdate"/> in one answer to getUpdates until they are confirmed (offset past them) and
    /// answers every other call with <c>true</c>: only what ingest stores matters here.
    /// </summary>
    private static async Task<WebApplication> StartTelegramAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the Host's appsettings.json next to the tests (its endpoints would win over this URL).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = url });
        var app = builder.Build();
        app.MapPost("/bot{token}/{method}", async (string method, HttpContext context) =>
        {
            if (method != "getUpdates")
            {
                return Results.Json(new { ok = true, result = true });
            }

            var request = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
            if ((request["offset"]?.GetValue<long>() ?? 0) <= 91002)
            {
                return Results.Text($$"""{"ok":true,"result":[{{Update}},{{NextUpdate}}]}""", "application/json");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), context.RequestAborted);
            return Results.Json(new { ok = true, result = Array.Empty<object>() });
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>The fake Telegram and a Host long-polling it, on a new database; disposing stops both.</summary>
    private sealed class PollingBot(WebApplication telegram, TestHost host, string connectionString) : IAsyncDisposable
    {
        public string ConnectionString => connectionString;

        public static async Task<PollingBot> StartAsync(string database)
        {
            var telegramUrl = $"http://127.0.0.1:{TestHost.FreePort()}";
            var telegram = await StartTelegramAsync(telegramUrl);
            var connectionString = await TestPostgres.CreateDatabaseAsync(database);
            try
            {
                var host = await TestHost.StartAsync(connectionString, settings: new Dictionary<string, string?>
                {
                    ["Telegram:BotToken"] = Token,
                    ["Telegram:ApiBaseUrl"] = telegramUrl,
                    ["Bot:PollTimeoutSeconds"] = "1",
                });
                return new PollingBot(telegram, host, connectionString);
            }
            catch
            {
                await telegram.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            await telegram.DisposeAsync();
        }
    }

    private static async Task<JsonNode> StoredPayloadAsync(string connectionString, long updateId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await using var command = new NpgsqlCommand("SELECT payload::text FROM bot.updates WHERE update_id = $1", connection) { Parameters = { new() { Value = updateId } } };
            if (await command.ExecuteScalarAsync() is string payload)
            {
                return JsonNode.Parse(payload)!;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"Update {updateId} was never stored.");
    }
}
