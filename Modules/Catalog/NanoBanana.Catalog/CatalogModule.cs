using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog;

/// <summary>The Catalog module: AI models with prices and capabilities, top-up packages and plans.</summary>
public sealed class CatalogModule : IModule
{
    public string Name => CatalogDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [CatalogReflection.Descriptor, VideoToolPricesReflection.Descriptor, PlansReflection.Descriptor, TryOnReflection.Descriptor, AssistantPriceReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<CatalogDbContext>(CatalogDbContext.Schema);
        services.AddMediationFrom(typeof(CatalogModule).Assembly);
        services.AddValidatedOptions<CatalogOptions>("Catalog");
        services.AddSingleton<CatalogSnapshot>();
        services.AddDatabaseNotificationHandler<CatalogSnapshot>();
    }
}
