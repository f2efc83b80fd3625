using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Grpc;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Host;

/// <summary>
/// Composition root shared by <c>Program</c>, the playground and the tests: the same wiring runs
/// everywhere, only configuration differs.
/// </summary>
public static class NanoBananaApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyList<IModule> modules, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the app's own folder, never the working directory: appsettings.json and the
        // Mini App (wwwroot/app) are copied there by the build, so ./nb run, dotnet run and
        // `dotnet …/NanoBanana.Host.dll` from anywhere read the same files.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        AddConsoleLogging(builder);
        configure?.Invoke(builder);

        var dataRoot = DataRoot(builder.Environment.ContentRootPath);
        if (string.IsNullOrEmpty(builder.Configuration["Generation:MediaRoot"]))
        {
            builder.Configuration.AddInMemoryCollection([new("Generation:MediaRoot", Path.Combine(dataRoot, "media"))]);
        }

        var database = await DatabaseBootstrap.ResolveAsync(builder.Configuration, dataRoot);
        try
        {
            builder.Services.AddSingleton(database);
            builder.Services.AddSingleton(database.Connection);
            // Try: tests put a controllable clock in first (via configure).
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<MigrationsHostedService>();
            builder.Services.AddSingleton<MigrationsState>();
            builder.Services.AddHealthChecks();

            foreach (var module in modules)
            {
                module.AddServices(builder.Services, builder.Configuration);
            }

            // After the modules: a module (Users) may register its own ICallAuthenticator first.
            builder.Services.AddGrpcServer(builder.Configuration);

            // Each module's IRegister pairs, compiled now: an unmapped member fails the start, not a request.
            ProtoMapping.ConfigureGlobalSettings(modules.Select(m => m.GetType().Assembly));

            var app = builder.Build();
            // Every module's settings, checked before the Host starts: a bad one is a setup problem reported in one
            // line (Program), not the Host's "Hosting failed to start" error with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            // Liveness with the modules' health checks: 200 while Healthy or Degraded (the Host serves; say what is wrong), 503 when Unhealthy.
            app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthText.WriteAsync });
            app.MapGet("/readyz", async (MigrationsState state, DatabaseConnection connection, CancellationToken ct) =>
                state.Completed && await DatabaseBootstrap.CanConnectAsync(connection, ct)
                    ? Results.Text("ready")
                    : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));

            app.MapGrpcServices(modules);
            foreach (var module in modules)
            {
                module.MapEndpoints(app);
            }

            app.MapMiniApp();

            app.Lifetime.ApplicationStopped.Register(() => database.DisposeAsync().AsTask().GetAwaiter().GetResult());
            return app;
        }
        catch
        {
            // Nothing will stop an embedded cluster that was started for a Host that cannot be built.
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The folder for local state (the embedded cluster, media): <c>.data</c> in the checkout holding
    /// NanoBanana.sln above the content root, else in the content root (a published app).
    /// </summary>
    public static string DataRoot(string contentRoot)
    {
        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                return Path.Combine(directory.FullName, ".data");
            }
        }

        return Path.Combine(contentRoot, ".data");
    }

    /// <summary>
    /// One line per entry: human-readable in a terminal, JSON when the output goes to a file, a pipe or a
    /// log collector; <c>Logging:Console:FormatterName</c> (simple, json, systemd) overrides the choice.
    /// </summary>
    private static void AddConsoleLogging(WebApplicationBuilder builder)
    {
        var formatter = builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } configured
            ? configured
            : Console.IsOutputRedirected ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.FormatterName = formatter);
        // Hosting's request lines are Information (per-request figures are in /metrics); while its category is
        // enabled at any level, Hosting starts an Activity and a log scope for every request (ADR 0210).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(simple =>
        {
            simple.SingleLine = true;
            simple.TimestampFormat = "HH:mm:ss ";
            simple.IncludeScopes = false;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(json => json.IncludeScopes = false);
    }

    /// <summary>True when the console log is the human-readable one (a terminal, or configured so).</summary>
    public static bool IsConsoleReadable(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName != ConsoleFormatterNames.Json;
}
