using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.BuildingBlocks.Mediation;

public static class MediationRegistration
{
    /// <summary>
    /// Registers MediatR 5.1 and the <see cref="UseCaseSender"/> in the one container (idempotent), every handler of <paramref name="assembly"/>
    /// found by scanning and every validator through FluentValidation's own registration, internal ones included.
    /// </summary>
    public static IServiceCollection AddMediationFrom(this IServiceCollection services, Assembly assembly)
    {
        // Transient: both are stateless, and a factory resolved from a call's scope is bound to that scope, so a
        // call resolves them without two inserts into its scope's cache under the scope's lock (ADR 0225).
        services.TryAddTransient<ServiceFactory>(provider => provider.GetService!);
        services.TryAddTransient<IMediator, Mediator>();
        services.TryAddScoped<CallContext>();
        services.TryAddSingleton<UseCaseSender>();
        // Singletons: their dependencies (loggers, validators) are, and a scoped behaviour cost every call two
        // resolutions into the scope's cache (ADR 0210).
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>)));

        services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithScopedLifetime());
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        return services;
    }
}
