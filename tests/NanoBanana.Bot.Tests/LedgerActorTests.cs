using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Npgsql;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// ADR 0180: Generation reserves a job's credits as itself, so the ledger's hold names the same actor ("module")
/// whether the job was started in the chat (the bot calls StartGeneration as the Telegram user) or from the Mini App
/// (a gRPC-Web call the binder authenticated as that user).
/// </summary>
public sealed class LedgerActorTests(GenerationResultFixture fixture) : IClassFixture<GenerationResultFixture>
{
    [Fact]
    public async Task A_hold_records_the_generation_module_from_the_bot_and_from_the_mini_app_alike()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");

        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", "a lighthouse at dusk");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
        await chat.WaitForAsync("Cost: 10 credits", confirm.MessageId);
        var fromBot = Assert.Single(await HoldActorsAsync(chat.UserId));

        using var web = new HttpClient { BaseAddress = fixture.Harness.Hosts[0].HttpAddress };
        var launch = await fixture.Harness.Api.GetFromJsonAsync<JsonElement>($"/api/webapp/launch?userId={chat.UserId}&url=https://miniapp.test/");
        var session = await GrpcWebAsync(
            web, "nanobanana.users.v1.AuthService/SignInWithTelegram", new SignInWithTelegramRequest { InitData = launch.GetProperty("init_data").GetString()! }, SignInWithTelegramResponse.Parser, token: null);
        var started = await GrpcWebAsync(
            web,
            "nanobanana.generation.v1.GenerationService/StartGeneration",
            new StartGenerationRequest
            {
                Spec = new GenerationSpec { ModelSlug = "nano-banana", Kind = GenerationKind.TextToImage, Prompt = "a lighthouse at dawn", AspectRatio = "1:1" },
                ClientRequestId = "mini-app-1",
            },
            StartGenerationResponse.Parser,
            session.SessionToken);
        Assert.NotNull(started.Outcome.Job);

        var actors = await HoldActorsAsync(chat.UserId);
        Assert.Equal(2, actors.Count);
        Assert.Equal("module", fromBot);
        Assert.All(actors, actor => Assert.Equal(fromBot, actor));
    }

    private async Task<List<string>> HoldActorsAsync(long userId)
    {
        await using var connection = new NpgsqlConnection(fixture.Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT actor FROM billing.ledger WHERE user_id = $1 AND kind = $2 ORDER BY id", connection);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue((int)EntryKind.Hold);
        var actors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actors.Add(reader.GetString(0));
        }

        return actors;
    }

    /// <summary>One unary call the way the Mini App makes it: gRPC-Web over HTTP/1.1, one length-prefixed message each way.</summary>
    private static async Task<TResponse> GrpcWebAsync<TResponse>(HttpClient web, string method, IMessage request, MessageParser<TResponse> parser, string? token)
        where TResponse : IMessage<TResponse>
    {
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        using var call = new HttpRequestMessage(HttpMethod.Post, method) { Content = new ByteArrayContent(frame) };
        call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web+proto");
        if (token is not null)
        {
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await web.SendAsync(call);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length >= 5 && body[0] == 0, $"{method} answered no message: {response.StatusCode} {response.Headers}");
        return parser.ParseFrom(body, 5, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)));
    }
}
