using NanoBanana.Billing;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.Bot;
using NanoBanana.Catalog;
using NanoBanana.Host;

var playground = await PlaygroundBootstrap.StartIfNoTokenAsync(args);
try
{
    await using var app = await NanoBananaApp.BuildAsync([.. args, .. playground?.Arguments ?? []], Program.Modules);
    await app.RunAsync();
}
finally
{
    if (playground is { } running)
    {
        await running.Server.DisposeAsync();
    }
}

public partial class Program
{
    /// <summary>The product: every module the Host runs, in start-up order.</summary>
    public static IReadOnlyList<IModule> Modules { get; } =
    [
        new CatalogModule(),
        new BillingModule(),
        new BotModule(),
    ];
}
