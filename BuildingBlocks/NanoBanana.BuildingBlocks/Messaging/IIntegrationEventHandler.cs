using Google.Protobuf;

namespace NanoBanana.BuildingBlocks.Messaging;

/// <summary>Identity of one delivered event; the same event redelivered carries the same id.</summary>
public sealed record IntegrationEventContext(Guid EventId, DateTimeOffset OccurredAt);

/// <summary>
/// Reacts to another module's integration event. Delivery is at-least-once: implementations dedupe
/// through their inbox (derive from <see cref="InboxEventHandler{TEvent,TContext}"/>).
/// </summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IMessage
{
    Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
}
