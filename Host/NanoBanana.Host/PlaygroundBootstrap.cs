using NanoBanana.Playground;

namespace NanoBanana.Host;

/// <summary>
/// The offline default: with no <c>Telegram:BotToken</c>, start the Bot API emulator and web chat
/// in-process and point the bot at it, so <c>./nb run</c> gives the whole product in a browser.
/// </summary>
public static class PlaygroundBootstrap
{
    /// <summary>The running playground and the settings that point the bot at it; null when a real token is configured.</summary>
    public static async Task<(PlaygroundServer Server, string[] Arguments)?> StartIfNoTokenAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            // The Host's own configuration files, from its content root (see NanoBananaApp).
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        if (!string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]))
        {
            return null;
        }

        var options = new PlaygroundOptions { Port = 8088 };
        configuration.GetSection(PlaygroundOptions.Section).Bind(options);
        var server = await StartOnFreePortIfTakenAsync(options);
        return (server, [$"--Telegram:BotToken={server.BotToken}", $"--Telegram:ApiBaseUrl={server.BaseUrl}", .. OfflineDefaults(configuration, server.BaseUrl)]);
    }

    /// <summary>
    /// What a newcomer needs to try everything offline: Sandbox payments and generation, and links
    /// (Mini App, sandbox payment page, media) pointing at this Host. Settings given explicitly win.
    /// </summary>
    private static IEnumerable<string> OfflineDefaults(IConfiguration configuration, string webChatUrl)
    {
        var publicUrl = (configuration["Kestrel:Endpoints:Http:Url"] ?? "http://127.0.0.1:5000").TrimEnd('/');
        var defaults = new Dictionary<string, string>
        {
            ["Payments:SandboxEnabled"] = "true",
            ["Payments:PublicBaseUrl"] = publicUrl,
            ["Generation:Mode"] = "Offline",
            ["Generation:PublicBaseUrl"] = publicUrl,
            ["Bot:MiniAppUrl"] = publicUrl + "/app/",
            ["Bot:PublicBaseUrl"] = publicUrl,
            // The web chat opens the Mini App in a frame, as Telegram Web does.
            ["MiniApp:FrameAncestors:0"] = webChatUrl,
        };
        return defaults.Where(pair => string.IsNullOrEmpty(configuration[pair.Key])).Select(pair => $"--{pair.Key}={pair.Value}");
    }

    private static async Task<PlaygroundServer> StartOnFreePortIfTakenAsync(PlaygroundOptions options)
    {
        try
        {
            return await PlaygroundServer.StartAsync(options);
        }
        catch (IOException) when (options.Port != 0)
        {
            options.Port = 0;
            return await PlaygroundServer.StartAsync(options);
        }
    }
}
