using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.Reflection;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoBanana.BuildingBlocks.Configuration;
using NanoBanana.BuildingBlocks.Persistence;

namespace NanoBanana.BuildingBlocks.Messaging;

/// <summary>Declares that <see cref="HandlerType"/> handles events of <see cref="EventType"/>.</summary>
public sealed record IntegrationEventSubscription(Type EventType, Type HandlerType);

/// <summary>Event type name → parser and handlers, built once from the registered subscriptions.</summary>
internal sealed class IntegrationEventRegistry
{
    private readonly Dictionary<string, EventRoute> _routes;

    public IntegrationEventRegistry(IEnumerable<IntegrationEventSubscription> subscriptions)
    {
        _routes = subscriptions
            .GroupBy(s => s.EventType)
            .ToDictionary(
                group => DescriptorOf(group.Key).FullName,
                group => EventRoute.For(group.Key, [.. group.Select(s => s.HandlerType).Distinct()]));
    }

    public bool TryGet(string type, [NotNullWhen(true)] out EventRoute? route) => _routes.TryGetValue(type, out route);

    private static MessageDescriptor DescriptorOf(Type eventType) =>
        (MessageDescriptor)(eventType.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{eventType} is not a generated protobuf message."));

    internal sealed record EventRoute(
        MessageParser Parser,
        IReadOnlyList<Type> HandlerTypes,
        Func<object, IMessage, IntegrationEventContext, CancellationToken, Task> Invoke)
    {
        public static EventRoute For(Type eventType, IReadOnlyList<Type> handlerTypes)
        {
            var build = typeof(EventRoute).GetMethod(nameof(Build), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(eventType);
            return (EventRoute)build.Invoke(null, [handlerTypes])!;
        }

        private static EventRoute Build<TEvent>(IReadOnlyList<Type> handlerTypes)
            where TEvent : IMessage<TEvent>, new() =>
            new(
                new MessageParser<TEvent>(() => new TEvent()),
                handlerTypes,
                (handler, message, context, ct) => ((IIntegrationEventHandler<TEvent>)handler).HandleAsync((TEvent)message, context, ct));
    }
}

public static class MessagingRegistration
{
    /// <summary>Runs a dispatcher for the outbox in <paramref name="schema"/> (the module's own schema).</summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services, string schema)
    {
        AddMessagingCore(services);
        services.TryAddSingleton<SqlSession>();
        services.AddSingleton<IHostedService>(provider => ActivatorUtilities.CreateInstance<OutboxDispatcher>(provider, schema));
        return services;
    }

    /// <summary>Subscribes <typeparamref name="THandler"/> (scoped) to <typeparamref name="TEvent"/>.</summary>
    public static IServiceCollection AddIntegrationEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IMessage<TEvent>, new()
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        AddMessagingCore(services);
        services.TryAddScoped<THandler>();
        services.AddSingleton(new IntegrationEventSubscription(typeof(TEvent), typeof(THandler)));
        return services;
    }

    private static void AddMessagingCore(IServiceCollection services)
    {
        services.AddValidatedOptions<OutboxOptions>("Outbox");
        services.TryAddSingleton<IntegrationEventRegistry>();
        services.TryAddSingleton<OutboxSignal>();
    }

    /// <summary>Wakes the dispatchers after a save that wrote outbox rows (call after commit).</summary>
    public static void NotifyOutbox(this IServiceProvider services) => services.GetService<OutboxSignal>()?.Notify();
}
