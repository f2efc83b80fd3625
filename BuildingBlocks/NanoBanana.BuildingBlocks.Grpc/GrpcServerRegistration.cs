using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Grpc.Health;
using NanoBanana.BuildingBlocks.Grpc.Observability;
using NanoBanana.BuildingBlocks.Grpc.Reflection;
using NanoBanana.BuildingBlocks.Grpc.Security;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Observability;
using NanoBanana.BuildingBlocks.Security;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>
/// Wiring of the gRPC layer, shaped like Grpc.AspNetCore (<c>AddGrpc</c> / <c>MapGrpcService</c>) so a
/// later swap is mechanical (ADR 0010).
/// </summary>
public static class GrpcServerRegistration
{
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
        services.TryAddSingleton<Metrics>();
        services.TryAddSingleton<MeterBridge>();
        services.TryAddSingleton<RequestMetrics>();
        services.TryAddSingleton<HealthStatusRegistry>();
        services.AddCors();
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
        var contractFiles = contracts.ToList();
        var useCases = UseCaseMethodBinder.Bind(contractFiles, services.GetRequiredService<IServiceProviderIsService>());
        var health = HealthMethods.All().ToList();
        var servedServices = useCases.Concat(health).Select(m => m.ServiceName)
            .Concat(["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]);
        var index = new DescriptorIndex(
            contractFiles.Concat([global::Grpc.Health.V1.HealthReflection.Descriptor, global::Grpc.Reflection.V1.ReflectionReflection.Descriptor, global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor]),
            servedServices);

        var dispatcher = new GrpcDispatcher(
            [.. useCases, .. health, .. ReflectionMethods.All(index)],
            services.GetRequiredService<IOptions<GrpcServerOptions>>().Value,
            services.GetRequiredService<RequestMetrics>(),
            services.GetRequiredService<ICorsService>(),
            services.GetRequiredService<ILogger<GrpcDispatcher>>());

        services.GetRequiredService<MeterBridge>();
        var registry = services.GetRequiredService<HealthStatusRegistry>();
        registry.Set("", ServingStatus.Serving);
        foreach (var service in index.Services)
        {
            registry.Set(service, ServingStatus.Serving);
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => registry.SetAll(ServingStatus.NotServing));

        // gRPC calls are answered (and measured) by the dispatcher; everything else flows on to the HTTP metrics.
        app.Use(next => context => dispatcher.InvokeAsync(context, next));
        app.UseMiddleware<HttpMetricsMiddleware>();
        app.MapGet("/metrics", (Metrics metrics) => Microsoft.AspNetCore.Http.Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
