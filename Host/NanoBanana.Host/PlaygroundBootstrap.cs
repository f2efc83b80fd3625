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
        Console.WriteLine();
        Console.WriteLine("  NanoBanana playground (no Telegram__BotToken set)");
        Console.WriteLine($"  Web chat:  {server.BaseUrl}/");
        Console.WriteLine($"  Bot API:   {server.BaseUrl}  (emulated)");
        Console.WriteLine();
        return (server, [$"--Telegram:BotToken={server.BotToken}", $"--Telegram:ApiBaseUrl={server.BaseUrl}"]);
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
