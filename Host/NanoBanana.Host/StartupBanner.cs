using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace NanoBanana.Host;

/// <summary>
/// Once the Host listens, every address a user needs: web chat (playground), Mini App, native gRPC,
/// gRPC-Web/HTTP, metrics, and which database it uses. Plain text in a terminal and in the playground;
/// one structured log entry when the console log is JSON (production), so log collectors stay parseable.
/// </summary>
internal static partial class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app, string? webChatUrl) =>
        app.Lifetime.ApplicationStarted.Register(() => Print(app, webChatUrl));

    private static void Print(WebApplication app, string? webChatUrl)
    {
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var http = Endpoint(app.Configuration, "Http") ?? listening.FirstOrDefault() ?? "(none)";
        var grpc = Endpoint(app.Configuration, "Grpc") ?? http;
        var database = app.Services.GetRequiredService<DatabaseBootstrap>().Description;
        var miniApp = $"{http}/app/";
        var metrics = $"{http}/metrics";

        if (webChatUrl is null && !NanoBananaApp.IsConsoleReadable(app.Services))
        {
            LogStarted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupBanner)), grpc, http, miniApp, metrics, database);
            return;
        }

        var grpcTarget = new Uri(grpc).Authority;
        var lines = new List<string> { "", webChatUrl is null ? "  NanoBanana is running (real bot)" : "  NanoBanana playground is running (no Telegram__BotToken set)" };
        if (webChatUrl is not null)
        {
            lines.Add($"  Web chat:       {webChatUrl}/");
        }

        lines.AddRange(
        [
            $"  Mini App:       {miniApp}",
            $"  Native gRPC:    {grpc}  (h2c, reflection + health; e.g. grpcurl -plaintext {grpcTarget} list)",
            $"  gRPC-Web/HTTP:  {http}  (gRPC-Web, webhooks, /healthz, /readyz)",
            $"  Metrics:        {metrics}",
            $"  PostgreSQL:     {database}",
            "  Stop with Ctrl+C.",
            "",
        ]);
        Console.Out.Write(string.Join(Environment.NewLine, lines) + Environment.NewLine);
        Console.Out.Flush();
    }

    private static string? Endpoint(IConfiguration configuration, string name) =>
        configuration[$"Kestrel:Endpoints:{name}:Url"]?.TrimEnd('/');

    [LoggerMessage(Level = LogLevel.Information, Message = "NanoBanana is running: native gRPC {Grpc}, gRPC-Web/HTTP {Http}, Mini App {MiniApp}, metrics {Metrics}, PostgreSQL {Database}")]
    private static partial void LogStarted(ILogger logger, string grpc, string http, string miniApp, string metrics, string database);
}
