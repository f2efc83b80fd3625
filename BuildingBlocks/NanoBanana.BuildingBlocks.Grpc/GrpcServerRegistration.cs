using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.AspNetCore.Web;
using Grpc.HealthCheck;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Grpc.Observability;
using NanoBanana.BuildingBlocks.Grpc.Security;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Observability;
using NanoBanana.BuildingBlocks.Security;
using Prometheus;
using static Grpc.Health.V1.HealthCheckResponse.Types;
using ProtoService = Google.Protobuf.Reflection.ServiceDescriptor;

namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>The gRPC layer on Grpc.AspNetCore (ADR 0100): use cases bound from their descriptors, health, reflection, gRPC-Web, CORS, metrics.</summary>
public static class GrpcServerRegistration
{
    private const string CorsPolicy = "grpc-web";

    /// <summary>
    /// Registers the gRPC layer. Call after the modules' AddServices: the authenticator is added only
    /// when no module (Users) registered its own <see cref="ICallAuthenticator"/>.
    /// </summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(GrpcServerOptions.Section).Get<GrpcServerOptions>() ?? new GrpcServerOptions();
        if (options.Validate() is { } problem)
        {
            throw new OptionsValidationException(GrpcServerOptions.Section, typeof(GrpcServerOptions), [problem]);
        }

        services.TryAddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.TryAddScoped<CallContext>();
        services.TryAddScoped<CallMetadata>();
        services.TryAddSingleton<ICallAuthenticator, ApiKeyCallAuthenticator>();
        services.AddPrometheusMetrics();
        services.TryAddSingleton<RequestMetrics>();
        services.TryAddSingleton<BoundUseCaseMethods>();
        services.TryAddSingleton<CallAccessInterceptor>();
        services.TryAddSingleton<HealthServiceImpl>();

        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxMessageBytes;
            grpc.ResponseCompressionAlgorithm = options.CompressResponses ? "gzip" : null;
            grpc.Interceptors.Add<CallAccessInterceptor>();
        }).AddServiceOptions<UseCaseService>(service => service.SuppressCreatingService = true);
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<IServiceMethodProvider<UseCaseService>, UseCaseMethodProvider>());

        // The library's own reflection factory finds services only through generated base classes;
        // registered first, these list the descriptor-bound services (AddGrpcReflection uses TryAdd).
        services.TryAddSingleton(provider => new ReflectionServiceImpl(provider.GetRequiredService<ServedDescriptors>().Services));
        services.TryAddSingleton(provider => new ReflectionV1ServiceImpl(provider.GetRequiredService<ServedDescriptors>().Services));
        services.TryAddSingleton<ServedDescriptors>();
        services.AddGrpcReflection();

        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(options.CorsOrigins)
            .WithMethods(HttpMethods.Post)
            .WithHeaders("x-grpc-web", "x-user-agent", "grpc-timeout", "grpc-accept-encoding", "grpc-encoding", "authorization", "content-type")
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }

    /// <summary>Serves the services of every module's contracts, health, reflection and <c>/metrics</c>.</summary>
    public static TApp MapGrpcServices<TApp>(this TApp app, IEnumerable<IModule> modules)
        where TApp : IApplicationBuilder, IEndpointRouteBuilder =>
        app.MapGrpcServices(modules.SelectMany(module => module.Contracts));

    public static TApp MapGrpcServices<TApp>(this TApp app, IEnumerable<FileDescriptor> contracts)
        where TApp : IApplicationBuilder, IEndpointRouteBuilder
    {
        var services = app.ServiceProvider;
        var useCases = UseCaseMethodBinder.Bind(contracts, services.GetRequiredService<IServiceProviderIsService>());
        services.GetRequiredService<BoundUseCaseMethods>().Methods = useCases;

        ProtoService[] served =
        [
            .. useCases.Select(method => method.Descriptor.Service).Distinct(),
            global::Grpc.Health.V1.Health.Descriptor,
            global::Grpc.Reflection.V1.ServerReflection.Descriptor,
            global::Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        ];
        services.GetRequiredService<ServedDescriptors>().Services = served;
        services.GetRequiredService<RequestMetrics>().Serve(
            served.SelectMany(service => service.Methods.Select(method => $"/{service.FullName}/{method.Name}")));

        var health = services.GetRequiredService<HealthServiceImpl>();
        string[] healthNames = ["", .. served.Select(service => service.FullName)];
        foreach (var name in healthNames)
        {
            health.SetStatus(name, ServingStatus.Serving);
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            foreach (var name in healthNames)
            {
                health.SetStatus(name, ServingStatus.NotServing);
            }
        });

        app.UseMiddleware<ProtoCodecOnlyMiddleware>();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseCors();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.MapGrpcService<UseCaseService>().RequireCors(CorsPolicy);
        app.MapGrpcService<HealthServiceImpl>().RequireCors(CorsPolicy);
        app.MapGrpcReflectionService().RequireCors(CorsPolicy);
        app.MapMetrics("/metrics", services.GetRequiredService<CollectorRegistry>());
        return app;
    }

    /// <summary>The service descriptors reflection lists (set by MapGrpcServices before the first call).</summary>
    private sealed class ServedDescriptors
    {
        public IReadOnlyList<ProtoService> Services { get; set; } = [];
    }
}
