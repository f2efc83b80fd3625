using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.Bot.Updates;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot;

/// <summary>
/// The Telegram adapter: webhook/long-polling ingest into a durable update store, per-chat update workers running
/// the conversation, and a rate-limited outbound sender. It owns no business rules; every flow calls
/// other modules through their Contracts. Without <c>Telegram:BotToken</c> it stays off.
/// </summary>
public sealed class BotModule : IModule
{
    public string Name => BotDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<BotDbContext>(BotDbContext.Schema);
        services.AddValidatedOptions<TelegramOptions>(TelegramOptions.Section);
        services.AddValidatedOptions<BotOptions>(BotOptions.Section);
        services.AddSingleton<UpdateSignal>();
        services.AddSingleton<ReplySignal>();
        services.AddSingleton<UpdateStore>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<UpdateStore>());
        services.AddSingleton<Texts>();
        services.AddSingleton<MiniAppLink>();
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<Keyboards>();
        services.AddSingleton<ResultMessages>();
        services.AddSingleton<SendRateLimiter>();
        services.AddScoped<UpdateRouter>();
        services.AddScoped<ModuleGateway>();
        services.AddScoped<GenerationStarter>();
        services.AddScoped<TopUpOffer>();
        services.AddSingleton<PreCheckoutAnswer>();
        services.AddScoped<Balances>();
        services.Scan(scan => scan
            .FromAssemblies(typeof(BotModule).Assembly)
            .AddClasses(classes => classes.AssignableTo<IChatFeature>(), publicOnly: false)
            .As<IChatFeature>()
            .WithScopedLifetime());

        var telegram = configuration.GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
        if (telegram.BotToken.Length == 0)
        {
            return;
        }

        BotApiClients.Add(services, telegram);
        services.AddSingleton<IHostedService, UpdateSource>();
        services.AddSingleton<IHostedService, UpdateWorker>();
        services.AddHttpClient(ResultMediaSender.HttpClientName);
        services.AddSingleton<ResultMediaSender>();
        services.AddSingleton<ReplyCalls>();
        services.AddSingleton<UndeliverableReplies>();
        services.AddSingleton<ReplySender>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<ReplySender>());
        services.AddSingleton<IHostedService, ProgressTicker>();
        services.AddSingleton<IHostedService, BroadcastDispatcher>();
        services.AddIntegrationEventHandler<GenerationStatusChanged, Features.GenerationProgress>();
        services.AddIntegrationEventHandler<GenerationSucceeded, Features.DeliverGenerationResult>();
        services.AddIntegrationEventHandler<GenerationFailed, Features.ReportGenerationFailure>();
        services.AddIntegrationEventHandler<ProviderModelUnlisted, Features.AlertUnlistedModel>();
        services.AddIntegrationEventHandler<Payments.Contracts.V1.PaymentSucceeded, Features.PaymentReceipt>();
        services.AddIntegrationEventHandler<Payments.Contracts.V1.SubscriptionRenewalFailed, Features.RenewalFailedNotice>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => WebhookEndpoint.Map(endpoints);
}
