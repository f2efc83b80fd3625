using NanoBanana.BuildingBlocks.Mapping;

namespace NanoBanana.BuildingBlocks.Tests.Mapping;

/// <summary>A domain-side shape mirroring <see cref="V1.Order"/> the way our entities mirror contracts.</summary>
public sealed class OrderEntity
{
    public string Id { get; set; } = string.Empty;

    public string TitleRu { get; set; } = string.Empty;

    public string TitleEn { get; set; } = string.Empty;

    public TierLevel Tier { get; set; }

    public List<LineEntity>? Lines { get; set; } = [];

    public List<string>? Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public TimeSpan Ttl { get; set; }

    public int? DiscountPercent { get; set; }

    public Dictionary<string, long> Limits { get; set; } = [];

    public byte[] Payload { get; set; } = [];

    public string? Note { get; set; }

    public DateTimeOffset? PaidAt { get; set; }
}

public sealed class LineEntity
{
    public string? Sku { get; set; }

    public int Quantity { get; set; }

    public long PriceKopecks { get; set; }
}

/// <summary>Same values as the proto <c>Tier</c>, different names' casing is irrelevant here.</summary>
public enum TierLevel
{
    Free = 1,
    Pro = 2,
}

/// <summary>Same names as the proto <c>Tier</c>, different values: only by-name mapping gets it right.</summary>
public enum PlanName
{
    Pro = 10,
    Free = 20,
}

public sealed class PlanHolder
{
    public PlanName Tier { get; set; }
}

public sealed class TreeNode
{
    public string Name { get; set; } = string.Empty;

    public List<TreeNode> Children { get; set; } = [];
}

public sealed class TreeNodeDto
{
    public string Name { get; set; } = string.Empty;

    public IReadOnlyList<TreeNodeDto> Children { get; set; } = [];
}

public sealed class NarrowCount
{
    public int Count { get; set; }
}

public sealed class WideCount
{
    public long Count { get; set; }
}

public sealed class GlobalSource
{
    public string Code { get; set; } = string.Empty;
}

public sealed class GlobalDestination
{
    public string Label { get; set; } = string.Empty;
}

/// <summary>Found by <c>Scan</c> over this assembly.</summary>
public sealed class GlobalMappingRegister : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<GlobalSource, GlobalDestination>().Map(dest => dest.Label, src => "code:" + src.Code);
}

public sealed class Basket
{
    public List<LineEntity> Lines { get; set; } = [];
}

public sealed class BasketDto
{
    public List<LineDto> Lines { get; set; } = [];
}

public sealed class LineDto
{
    public string? Sku { get; set; }

    public decimal Discount { get; set; }
}
