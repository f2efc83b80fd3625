using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace NanoBanana.BuildingBlocks.Messaging;

/// <summary>
/// Runs a subscriber's reaction and records the event in its inbox in one transaction, so a
/// redelivered event (crash after commit, another replica, a retry) changes nothing twice.
/// </summary>
public abstract class InboxEventHandler<TEvent, TContext>(TContext dbContext, TimeProvider clock) : IIntegrationEventHandler<TEvent>
    where TEvent : IMessage
    where TContext : DbContext
{
    protected TContext DbContext => dbContext;

    protected TimeProvider Clock => clock;

    public async Task HandleAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        var handlerName = GetType().Name;
        await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
        var schema = dbContext.Model.FindEntityType(typeof(InboxMessage))?.GetSchema()
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} maps no inbox (call modelBuilder.AddInbox()).");
        // The row lock taken by this insert also serialises two replicas handling the same event at once.
        // The schema is the module's own constant, not input; values go as parameters.
        var sql = "INSERT INTO " + schema + ".inbox (event_id, handler, processed_at) VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING";
        var inserted = await dbContext.Database.ExecuteSqlRawAsync(sql, [context.EventId, handlerName, clock.GetUtcNow()], cancellationToken);
        if (inserted == 0)
        {
            return;
        }

        await HandleOnceAsync(integrationEvent, context, cancellationToken);
        await dbContext.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The reaction; runs inside the inbox transaction. Changes tracked by the context are saved after it.</summary>
    protected abstract Task HandleOnceAsync(TEvent integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken);
}
