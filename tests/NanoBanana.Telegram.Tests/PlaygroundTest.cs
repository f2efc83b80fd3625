using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NanoBanana.Playground;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Telegram.Tests;

/// <summary>
/// A fresh playground per test; the bot side uses Telegram.Bot as the product configures it (its own 429
/// retries off), the user side the test API.
/// </summary>
public abstract class PlaygroundTest : IAsyncLifetime
{
    private readonly List<HttpClient> _clientHttp = [];
    private PlaygroundServer? _server;

    protected TelegramBotClient Bot { get; private set; } = null!;

    protected virtual PlaygroundOptions Options => new();

    public PlaygroundServer Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        _server = await PlaygroundServer.StartAsync(Options);
        Http.BaseAddress = new Uri(Server.BaseUrl);
        Bot = NewClient();
    }

    /// <summary>A client over its own HttpClient: Telegram.Bot's Timeout is the HttpClient's, one per client.</summary>
    public TelegramBotClient NewClient(TimeSpan? timeout = null)
    {
        var http = new HttpClient();
        _clientHttp.Add(http);
        return new TelegramBotClient(new TelegramBotClientOptions(Server.BotToken, Server.BaseUrl) { RetryCount = 0 }, http)
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Http.Dispose();
        _clientHttp.ForEach(http => http.Dispose());
    }

    public async Task<JsonNode> Post(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    public async Task<JsonNode> Get(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> Put(string path, object body)
    {
        using var response = await Http.PutAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<JsonNode> UserSays(long userId, string text) => Post($"/api/chats/{userId}/messages", new { text });

    public Task<JsonNode> Transcript(long userId) => Get($"/api/chats/{userId}/transcript");

    public async Task<JsonNode> UserSendsPhotos(long userId, string? caption, params byte[][] photos)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (photo, index) in photos.Select((p, i) => (p, i)))
        {
            form.Add(new ByteArrayContent(photo), "photo", $"photo{index}.png");
        }

        if (caption is not null)
        {
            form.Add(new StringContent(caption), "caption");
        }

        using var response = await Http.PostAsync($"/api/chats/{userId}/photos", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls until at least <paramref name="count"/> updates arrived, confirming them.</summary>
    public async Task<List<Update>> DrainUpdates(int count, int offsetFrom = 0)
    {
        var received = new List<Update>();
        var offset = offsetFrom;
        while (received.Count < count)
        {
            var batch = await Bot.GetUpdates(offset: offset, timeout: 10);
            Assert.NotEmpty(batch);
            received.AddRange(batch);
            offset = batch[^1].Id + 1;
        }

        await Bot.GetUpdates(offset: offset, timeout: 0);
        return received;
    }
}
