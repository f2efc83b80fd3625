using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Background;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Features;
using NanoBanana.Billing.Integration;
using NanoBanana.Billing.Ledger;
using NanoBanana.Billing.Persistence;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Users.Contracts.V1;

namespace NanoBanana.Billing;

/// <summary>The Billing module: credit accounts, the ledger, holds, bonuses, promo codes and daily rewards.</summary>
public sealed class BillingModule : IModule
{
    public string Name => BillingDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [BillingReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<BillingDbContext>(BillingDbContext.Schema);
        services.AddMediationFrom(typeof(BillingModule).Assembly);
        services.AddValidatedOptions<BillingOptions>(BillingOptions.Section);
        services.AddSingleton<BillingTransactions>();
        services.AddSingleton<ExpireHolds>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpireHolds>());
        services.AddSingleton<ExpireCreditGrants>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpireCreditGrants>());
        services.AddIntegrationEventHandler<UserRegistered, PayWelcomeBonus>();
        services.AddIntegrationEventHandler<PaymentSucceeded, CreditPaidTopUp>();
    }
}
