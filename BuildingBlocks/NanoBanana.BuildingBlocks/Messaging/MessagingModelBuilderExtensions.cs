using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.BuildingBlocks.Messaging;

/// <summary>Maps and creates the outbox and inbox tables inside a module's own schema.</summary>
public static class MessagingModelBuilderExtensions
{
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).HasColumnName("id");
            outbox.Property(m => m.Type).HasColumnName("type");
            outbox.Property(m => m.Payload).HasColumnName("payload");
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            outbox.Property(m => m.LockedUntil).HasColumnName("locked_until");
            outbox.Property(m => m.DispatchedAt).HasColumnName("dispatched_at");
            outbox.Property(m => m.ParkedAt).HasColumnName("parked_at");
            outbox.Property(m => m.LastError).HasColumnName("last_error");
        });
        return modelBuilder;
    }

    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox");
            inbox.HasKey(m => new { m.EventId, m.Handler });
            inbox.Property(m => m.EventId).HasColumnName("event_id");
            inbox.Property(m => m.Handler).HasColumnName("handler");
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }

    public static void CreateOutboxTable(this MigrationBuilder migrationBuilder, string schema) =>
        migrationBuilder.Sql($"""
            CREATE TABLE {schema}.outbox (
                id uuid PRIMARY KEY,
                type text NOT NULL,
                payload bytea NOT NULL,
                occurred_at timestamptz NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                locked_until timestamptz NULL,
                dispatched_at timestamptz NULL,
                parked_at timestamptz NULL,
                last_error text NULL
            );
            CREATE INDEX ix_outbox_pending ON {schema}.outbox (next_attempt_at) WHERE dispatched_at IS NULL AND parked_at IS NULL;
            CREATE INDEX ix_outbox_parked ON {schema}.outbox (parked_at) WHERE parked_at IS NOT NULL;
            """);

    public static void CreateInboxTable(this MigrationBuilder migrationBuilder, string schema) =>
        migrationBuilder.Sql($"""
            CREATE TABLE {schema}.inbox (
                event_id uuid NOT NULL,
                handler text NOT NULL,
                processed_at timestamptz NOT NULL,
                PRIMARY KEY (event_id, handler)
            );
            """);

    /// <summary>Queues <paramref name="integrationEvent"/> to be saved with the context's pending changes.</summary>
    public static Guid AddIntegrationEvent(this DbContext context, IMessage integrationEvent, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Type = integrationEvent.Descriptor.FullName,
            Payload = integrationEvent.ToByteArray(),
            OccurredAt = now,
            NextAttemptAt = now,
        };
        context.Set<OutboxMessage>().Add(message);
        return message.Id;
    }
}
