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

    public List<HostProcess> Processes { get; } = [];

    public static async Task<BotHarness> StartAsync(string connectionString)
    {
        var playground = await PlaygroundServer.StartAsync(new PlaygroundOptions());
        return new BotHarness(playground, new HttpClient { BaseAddress = new Uri(playground.BaseUrl) }, connectionString);
    }

    /// <summary>
    /// Starts a Host in this process. <paramref name="webhookPort"/>: receive by webhook on that port
    /// (setWebhook at start); otherwise long polling.
    /// </summary>
    public async Task<TestHost> StartHostAsync(int? webhookPort = null, IDictionary<string, string?>? settings = null)
    {
        var host = await TestHost.StartAsync(ConnectionString, settings: HostSettings(webhookPort, settings));
        Hosts.Add(host);
        return host;
    }

    /// <summary>
    /// Starts the built Host as its own OS process with the same settings as <see cref="StartHostAsync"/>
    /// (through environment variables) and waits until it is ready; killed at the latest on dispose.
    /// </summary>
    public async Task<HostProcess> StartProcessAsync(int? webhookPort = null, IDictionary<string, string?>? settings = null)
    {
        var all = HostSettings(webhookPort, settings);
        all["ConnectionStrings:Postgres"] = ConnectionString;
        var process = new HostProcess(all.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!));
        Processes.Add(process);
        await process.StartAsync();
        return process;
    }

    /// <summary>Per-chat pacing is relaxed so conversations run quickly; tests of the limits set their own.</summary>
    private Dictionary<string, string?> HostSettings(int? webhookPort, IDictionary<string, string?>? settings)
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
            ["Bot:UpdatePollInterval"] = "00:00:00.100",
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

        return all;
    }

    public PlaygroundChat Chat(long userId) => new(Api, userId);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Processes)
        {
            process.Kill();
        }

        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        Api.Dispose();
        await Playground.DisposeAsync();
    }
}
