using NanoBanana.Billing;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.Catalog;
using NanoBanana.Host;
using NanoBanana.Payments;

await using var app = await NanoBananaApp.BuildAsync(args, Program.Modules);
await app.RunAsync();

public partial class Program
{
    /// <summary>The product: every module the Host runs, in start-up order.</summary>
    public static IReadOnlyList<IModule> Modules { get; } =
    [
        new CatalogModule(),
        new BillingModule(),
        new PaymentsModule(),
    ];
}
