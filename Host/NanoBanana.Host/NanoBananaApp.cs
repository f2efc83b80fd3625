using Microsoft.Extensions.DependencyInjection.Extensions;
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
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.IncludeScopes = false);
        configure?.Invoke(builder);

        var database = await DatabaseBootstrap.ResolveAsync(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(database.Connection);
        builder.Services.AddScoped<CallContext>();
        // Try: tests put a controllable clock in first (via configure).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<MigrationsHostedService>();
        builder.Services.AddSingleton<MigrationsState>();

        foreach (var module in modules)
        {
            module.AddServices(builder.Services, builder.Configuration);
        }

        // After the modules: a module (Users) may register its own ICallAuthenticator first.
        builder.Services.AddGrpcServer(builder.Configuration);

        // Each module's IRegister pairs, compiled now: an unmapped member fails the start, not a request.
        ProtoMapping.ConfigureGlobalSettings(modules.Select(m => m.GetType().Assembly));

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
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
}
