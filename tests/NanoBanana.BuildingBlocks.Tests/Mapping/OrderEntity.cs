namespace NanoBanana.BuildingBlocks.Tests.Mapping;

/// <summary>A domain-side shape mirroring <see cref="V1.Order"/> the way our entities mirror contracts.</summary>
public sealed class OrderEntity
{
    public string Id { get; set; } = string.Empty;

    public string TitleRu { get; set; } = string.Empty;

    public string TitleEn { get; set; } = string.Empty;

    public TierLevel Tier { get; set; }

    public List<LineEntity> Lines { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public Dictionary<string, long> Limits { get; set; } = [];

    public string? Note { get; set; }

    public DateTimeOffset? PaidAt { get; set; }
}

public sealed class LineEntity
{
    public string? Sku { get; set; }

    public int Quantity { get; set; }
}

/// <summary>Same values as the proto <c>Tier</c>.</summary>
public enum TierLevel
{
    Free = 1,
    Pro = 2,
}

public sealed class DateTimeHolder
{
    public DateTime At { get; set; }
}
