using NanoBanana.Billing;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Bot;
using NanoBanana.Catalog;
using NanoBanana.Generation;
using NanoBanana.Host;
using NanoBanana.Payments;
using NanoBanana.Users;

try
{
    return args is ["admin", .. var command] ? await RunAdminAsync(command) : await RunServerAsync(args);
}
catch (Exception e) when (SetupProblem.Describe(e) is { } problem)
{
    return SetupProblem.Report(problem);
}

static async Task<int> RunAdminAsync(string[] command)
{
    // Operator commands (./nb admin …): same composition and database as the server, no listening.
    await using var admin = await NanoBananaApp.BuildAsync(command, Program.Modules);
    try
    {
        await MigrationsHostedService.MigrateAllAsync(
            admin.Services.GetServices<IModuleMigrator>(), admin.Services, admin.Services.GetRequiredService<DatabaseConnection>(), null, CancellationToken.None);
        return await UsersModule.RunAdminCommandAsync(admin.Services, command, Console.Out, Console.Error, CancellationToken.None);
    }
    finally
    {
        // The app never started, so its stop hook does not run: stop an embedded cluster here.
        await admin.Services.GetRequiredService<DatabaseBootstrap>().DisposeAsync();
    }
}

static async Task<int> RunServerAsync(string[] args)
{
    var playground = await PlaygroundBootstrap.StartIfNoTokenAsync(args);
    try
    {
        await using var app = await NanoBananaApp.BuildAsync([.. args, .. playground?.Arguments ?? []], Program.Modules);
        StartupBanner.PrintWhenStarted(app, playground?.Server.BaseUrl);
        await app.RunAsync();
        return 0;
    }
    finally
    {
        if (playground is { } running)
        {
            await running.Server.DisposeAsync();
        }
    }
}

public partial class Program
{
    /// <summary>The product: every module the Host runs, in start-up order.</summary>
    public static IReadOnlyList<IModule> Modules { get; } =
    [
        new CatalogModule(),
        new UsersModule(),
        new BillingModule(),
        new GenerationModule(),
        new PaymentsModule(),
        new BotModule(),
    ];
}
