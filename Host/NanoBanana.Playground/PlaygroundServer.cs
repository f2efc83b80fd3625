using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NanoBanana.Playground.Emulator;
using NanoBanana.Playground.TestApi;

namespace NanoBanana.Playground;

/// <summary>
/// The playground: a Bot API emulator plus a web chat, bound to 127.0.0.1. The Host starts it
/// in-process when no bot token is configured and points its Telegram client at <see cref="BaseUrl"/>.
/// </summary>
public sealed class PlaygroundServer : IAsyncDisposable
{
    private const long MaxRequestBytes = 60L * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _webhookDelivery;

    private PlaygroundServer(WebApplication app, string baseUrl, string botToken, CancellationTokenSource stopping, Task webhookDelivery)
    {
        _app = app;
        BaseUrl = baseUrl;
        BotToken = botToken;
        _stopping = stopping;
        _webhookDelivery = webhookDelivery;
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>: the Bot API base URL and the web chat.</summary>
    public string BaseUrl { get; }

    public string BotToken { get; }

    public static async Task<PlaygroundServer> StartAsync(PlaygroundOptions options, CancellationToken cancellationToken = default)
    {
        var app = Build([], options);
        await app.StartAsync(cancellationToken);
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'))
            .First();
        var emulator = app.Services.GetRequiredService<BotApiEmulator>();
        emulator.BaseUrl = baseUrl;
        var stopping = new CancellationTokenSource();
        var delivery = Task.Run(() => emulator.RunWebhookDelivery(stopping.Token), CancellationToken.None);
        return new PlaygroundServer(app, baseUrl, options.BotToken, stopping, delivery);
    }

    /// <summary>Runs the playground on its own (<c>dotnet run --project Host/NanoBanana.Playground</c>).</summary>
    public static async Task RunStandaloneAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new PlaygroundOptions { Port = 8088 };
        configuration.GetSection(PlaygroundOptions.Section).Bind(options);
        await using var server = await StartAsync(options);
        Console.WriteLine($"Playground chat: {server.BaseUrl}/");
        Console.WriteLine($"Bot API: Telegram__ApiBaseUrl={server.BaseUrl} Telegram__BotToken={server.BotToken}");
        await server._app.WaitForShutdownAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _webhookDelivery;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static WebApplication Build(string[] args, PlaygroundOptions options)
    {
        _ = options.BotToken.IndexOf(':', StringComparison.Ordinal) > 0 && long.TryParse(options.BotToken.AsSpan(0, options.BotToken.IndexOf(':', StringComparison.Ordinal)), out _)
            ? 0
            : throw new ArgumentException("Playground:BotToken must look like <bot id>:<secret>.", nameof(options));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(PlaygroundServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        // Configured by PlaygroundOptions alone: an appsettings.json next to the host process (the Host's,
        // with its Kestrel endpoints) must not make the emulator bind those ports too.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = MaxRequestBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Add(new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver());
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient("webhook", http => http.Timeout = TimeSpan.FromSeconds(60));
        builder.Services.AddHttpClient("fetch");
        builder.Services.AddSingleton<BotApiEmulator>();

        var app = builder.Build();
        app.MapBotApi();
        app.MapTestApi();
        app.MapWebChat();
        return app;
    }
}
