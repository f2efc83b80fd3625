using NanoBanana.Playground;
using NanoBanana.Testing;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// The real Host (Catalog + Bot modules, real PostgreSQL) talking to the playground emulator as its
/// Telegram peer through the unchanged Bot API client.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    public const string Secret = "test-secret_123";

    private BotHarness(PlaygroundServer playground, HttpClient api, string connectionString)
    {
        Playground = playground;
        Api = api;
        ConnectionString = connectionString;
    }

    public PlaygroundServer Playground { get; }

    public HttpClient Api { get; }

    public string ConnectionString { get; }

    public List<TestHost> Hosts { get; } = [];

    public static async Task<BotHarness> StartAsync(string connectionString)
    {
        var playground = await PlaygroundServer.StartAsync(new PlaygroundOptions());
        return new BotHarness(playground, new HttpClient { BaseAddress = new Uri(playground.BaseUrl) }, connectionString);
    }

    /// <summary>
    /// Starts a Host. <paramref name="webhookPort"/>: receive by webhook on that port (setWebhook at start);
    /// otherwise long polling. Per-chat pacing is relaxed so conversations run quickly; tests of the
    /// limits set their own.
    /// </summary>
    public async Task<TestHost> StartHostAsync(int? webhookPort = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = Playground.BotToken,
            ["Telegram:ApiBaseUrl"] = Playground.BaseUrl,
            ["Telegram:WebhookSecret"] = Secret,
            ["Bot:ChatMessagesPerSecond"] = "50",
            ["Bot:ChatBurst"] = "20",
            ["Bot:EditInterval"] = "00:00:00.200",
            ["Bot:PollTimeoutSeconds"] = "1",
            ["Bot:InboxPollInterval"] = "00:00:00.100",
            ["Bot:FirstRetryDelay"] = "00:00:00.100",
        };
        if (webhookPort is { } port)
        {
            all["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{port}";
            all["Telegram:WebhookUrl"] = $"http://127.0.0.1:{port}/telegram/webhook";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = await TestHost.StartAsync(ConnectionString, settings: all);
        Hosts.Add(host);
        return host;
    }

    public PlaygroundChat Chat(long userId) => new(Api, userId);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        Api.Dispose();
        await Playground.DisposeAsync();
    }
}
