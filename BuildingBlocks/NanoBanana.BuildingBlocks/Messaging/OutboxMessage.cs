namespace NanoBanana.BuildingBlocks.Messaging;

/// <summary>An integration event waiting in the publisher's schema, written in the same transaction as the state change.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>The proto full name of the event message, e.g. <c>nanobanana.users.v1.UserRegistered</c>.</summary>
    public required string Type { get; set; }

    /// <summary>The event in protobuf binary form.</summary>
    public required byte[] Payload { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public DateTimeOffset? ParkedAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>Marks an event as handled by one subscriber; its key makes redelivery harmless.</summary>
public sealed class InboxMessage
{
    public Guid EventId { get; set; }

    public required string Handler { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
