using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Payments.Background;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Sandbox;
using NanoBanana.Payments.Providers.Stars;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Settlement;

namespace NanoBanana.Payments;

/// <summary>The Payments module: top-up orders paid with Telegram Stars, YooKassa or the Sandbox; PaymentSucceeded once per paid order.</summary>
public sealed class PaymentsModule : IModule
{
    public string Name => PaymentsDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [PaymentsReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<PaymentsDbContext>(PaymentsDbContext.Schema);
        services.AddMediationFrom(typeof(PaymentsModule).Assembly);
        services.AddOutboxDispatcher(PaymentsDbContext.Schema);

        services.AddValidatedOptions<PaymentsOptions>("Payments");
        services.AddValidatedOptions<AccountingOptions>("Payments:Accounting");
        services.AddValidatedOptions<YooKassaOptions>("Payments:YooKassa");
        services.AddValidatedOptions<TelegramOptions>("Telegram");
        services.AddSingleton(provider => new Accounting(provider.GetRequiredService<IOptions<AccountingOptions>>().Value));

        services.AddHttpClient<YooKassaClient>();
        services.AddHttpClient<ITelegramPayments, BotApiTelegramPayments>();
        services.AddSingleton<NotificationSourceCheck>();
        services.AddScoped<OrderSettlement>();
        services.AddScoped<YooKassaPaymentApplier>();
        services.AddScoped<TopUpCheckout>();
        services.AddScoped<Subscriptions.SubscriptionRenewal>();
        services.AddScoped<Subscriptions.SubscriptionCheckout>();
        services.AddHostedService<PendingOrdersReconciler>();
        services.AddHostedService<CardRenewals>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(YooKassaNotificationEndpoint.Path, YooKassaNotificationEndpoint.HandleAsync);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<PaymentsOptions>>().Value.SandboxEnabled)
        {
            endpoints.MapGet(SandboxCheckoutPage.Route, SandboxCheckoutPage.ShowAsync);
            endpoints.MapPost(SandboxCheckoutPage.Route + "/pay", SandboxCheckoutPage.PayAsync);
            endpoints.MapPost(SandboxCheckoutPage.Route + "/cancel", SandboxCheckoutPage.CancelAsync);
        }
    }
}
