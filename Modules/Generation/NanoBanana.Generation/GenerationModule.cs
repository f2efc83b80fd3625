using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Observability;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Background;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Media;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;
using NanoBanana.Generation.Queue;
using NanoBanana.Generation.VideoTools;

namespace NanoBanana.Generation;

/// <summary>The Generation module: image and video jobs on a durable PostgreSQL queue, provider adapters, the offline Sandbox.</summary>
public sealed class GenerationModule : IModule
{
    public string Name => GenerationDbContext.Schema;

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [GenerationReflection.Descriptor, VideoToolsReflection.Descriptor, VideoToolsChoiceReflection.Descriptor, AssistantReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.BindValidated<GenerationOptions>("Generation");
        services.AddSingleton(options);
        services.AddModuleDbContext<GenerationDbContext>(GenerationDbContext.Schema);
        services.AddMediationFrom(typeof(GenerationModule).Assembly);
        services.AddOutboxDispatcher(GenerationDbContext.Schema);

        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobSignal>();
        services.AddDatabaseNotificationHandler<JobSignal>();
        services.AddSingleton<IMediaStore>(new LocalMediaStore(options.MediaRoot));
        services.AddSingleton(p => new GeminiProvider(options.Gemini, Http(p, nameof(Engine.Gemini), options.Gemini)));
        services.AddSingleton(p => new ServiceAccountTokens(options.Vertex, p.GetRequiredService<TimeProvider>()));
        services.AddSingleton(p => new VertexProvider(options.Vertex, p.GetRequiredService<ServiceAccountTokens>(), Http(p, nameof(Engine.Vertex), options.Vertex)));
        services.AddSingleton<IGenerationProvider>(p => p.GetRequiredService<GeminiProvider>());
        services.AddSingleton<IGenerationProvider>(p => p.GetRequiredService<VertexProvider>());
        services.AddSingleton<IProviderModelList>(p => p.GetRequiredService<GeminiProvider>());
        services.AddSingleton<IProviderModelList>(p => p.GetRequiredService<VertexProvider>());
        services.AddSingleton<IGenerationProvider>(p => new KieProvider(options.Kie, Http(p, nameof(Engine.Kie), options.Kie)));
        services.AddSingleton<IGenerationProvider>(new SandboxProvider(options.Sandbox));
        services.AddSingleton<ProviderRegistry>();

        services.AddSingleton(options.VideoTools);
        services.AddSingleton<VideoRenderer>();
        services.AddSingleton<ISpeechEngine, SandboxSpeech>();
        services.AddSingleton<ISpeechEngine>(p => new GeminiSpeech(options.Gemini, options.VideoTools, Http(p, nameof(Engine.Gemini), options.Gemini)));
        services.AddSingleton<SpeechEngines>();
        services.AddScoped<VideoToolsPlanner>();
        services.AddScoped<VideoToolsPipeline>();

        services.AddSingleton(options.Assistant);
        if (options.Assistant.Configured)
        {
            services.AddSingleton<IPromptWriter>(p => new OpenRouterPromptWriter(options.Assistant, Http(p, "OpenRouter", options.Assistant)));
        }
        else if (options.Mode == GenerationMode.Offline)
        {
            services.AddSingleton<IPromptWriter, SandboxPromptWriter>();
        }

        services.AddScoped<JobPlanner>();
        services.AddScoped<JobStarter>();
        services.AddScoped<UserPlanTerms>();
        services.AddScoped<JobCanceller>();
        services.AddScoped<JobHistory>();
        services.AddScoped<QueueEstimator>();
        services.AddScoped<JobProcessor>();
        services.AddScoped<JobSubmission>();
        services.AddScoped<JobSuccess>();
        services.AddScoped<JobFailure>();
        services.AddScoped<JobSettlement>();
        if (options.Workers > 0)
        {
            services.AddSingleton<IHostedService, JobWorker>();
        }

        services.AddSingleton<IHostedService, RetentionSweeper>();

        services.AddPrometheusMetrics();
        services.AddSingleton<UnlistedModels>();
        services.AddSingleton<IHostedService, ProviderModelCheck>();
        services.AddHealthChecks().AddCheck<ProviderModelsHealthCheck>("provider-models");
    }

    /// <summary>
    /// Result files by media id (UUIDv7: not enumerable) for the Mini App and the bot, and reference
    /// images by their random access token for providers that fetch inputs by URL (kie.ai).
    /// </summary>
    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/generation/media/{id:guid}", async (Guid id, GenerationDbContext db, IMediaStore store, CancellationToken ct) =>
        {
            var media = await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
            var content = media is null ? null : await store.ReadAsync(media.StorageKey, ct);
            return content is null ? Results.NotFound() : Results.File(content, media!.MimeType);
        });
        endpoints.MapGet("/generation/inputs/{token}", async (string token, GenerationDbContext db, IMediaStore store, CancellationToken ct) =>
        {
            var input = await db.Inputs.AsNoTracking().SingleOrDefaultAsync(i => i.AccessToken == token && i.DeletedAt == null, ct);
            var content = input is null ? null : await store.ReadAsync(input.StorageKey, ct);
            return content is null ? Results.NotFound() : Results.File(content, input!.MimeType);
        });
    }

    private static ProviderHttp Http(IServiceProvider provider, string name, ProviderOptions options) =>
        new(name, options, provider.GetRequiredService<ILoggerFactory>().CreateLogger($"NanoBanana.Generation.Providers.{name}"));
}
