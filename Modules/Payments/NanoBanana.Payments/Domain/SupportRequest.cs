namespace NanoBanana.Payments.Domain;

/// <summary>A /paysupport message kept for the support team.</summary>
internal sealed class SupportRequest
{
    public Guid Id { get; init; }

    public long UserId { get; init; }

    public required string Text { get; init; }

    public Guid? OrderId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A YooKassa notification as received, kept before it is acted on (audit, and proof it was recorded before answering 200).</summary>
internal sealed class ProviderNotification
{
    public long Id { get; init; }

    public required string Event { get; init; }

    public required string ObjectId { get; init; }

    public required string RemoteAddress { get; init; }

    public required string Body { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? Outcome { get; set; }
}
