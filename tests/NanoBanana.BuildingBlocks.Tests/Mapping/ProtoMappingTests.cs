using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.BuildingBlocks.Tests.Mapping.V1;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Mapping;

/// <summary>Our Mapster conventions for generated messages (ADR 0108): what Mapster alone would get wrong.</summary>
public sealed class ProtoMappingTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 30, 0, TimeSpan.FromHours(3));

    private static readonly TypeAdapterConfig Config = ProtoMapping.CreateConfig(typeof(ProtoMappingTests).Assembly);

    private static OrderEntity Entity() => new()
    {
        Id = "o-1",
        TitleRu = "Заказ",
        TitleEn = "Order",
        Tier = TierLevel.Pro,
        Lines = [new LineEntity { Sku = "a", Quantity = 2 }, new LineEntity { Sku = "b", Quantity = 1 }],
        Tags = ["x", "y"],
        CreatedAt = Created,
        Limits = new() { ["images"] = 5 },
        Note = "keep",
        PaidAt = Created.AddMinutes(5),
    };

    [Fact]
    public void Entity_becomes_a_proto_message_with_get_only_collections_and_timestamps_filled()
    {
        var order = Entity().Adapt<Order>(Config);

        Assert.Equal("o-1", order.Id);
        Assert.Equal(new LocalizedName { Ru = "Заказ", En = "Order" }, order.Title);
        Assert.Equal(Tier.Pro, order.Tier);
        Assert.Equal([new Line { Sku = "a", Quantity = 2 }, new Line { Sku = "b", Quantity = 1 }], order.Lines);
        Assert.Equal(["x", "y"], order.Tags);
        Assert.Equal(5, order.Limits["images"]);
        Assert.Equal(Timestamp.FromDateTimeOffset(Created), order.CreatedAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(Created.AddMinutes(5)), order.PaidAt);
        Assert.Equal("keep", order.Note);
    }

    [Fact]
    public void Round_trip_through_the_wire_gives_back_the_same_entity_values()
    {
        var wire = Entity().Adapt<Order>(Config).ToByteArray();

        var back = Order.Parser.ParseFrom(wire).Adapt<OrderEntity>(Config);

        Assert.Equivalent(Entity(), back, strict: true);
        Assert.Equal(Created, back.CreatedAt);
    }

    [Fact]
    public void Null_domain_values_become_proto_defaults()
    {
        var entity = Entity();
        entity.Note = null;
        entity.PaidAt = null;
        entity.Lines = [new LineEntity { Sku = null, Quantity = 1 }];

        var order = entity.Adapt<Order>(Config);

        Assert.Equal("", order.Note);
        Assert.Null(order.PaidAt);
        Assert.Equal("", order.Lines[0].Sku);
    }

    // Mapster merges map entries into an existing MapField (repeated fields are replaced). No pair of ours
    // adapts onto an existing message; this pins the trap should one start to.
    [Fact]
    public void Adapting_onto_an_existing_message_replaces_repeated_contents_but_merges_map_entries()
    {
        var existing = new Order { Tags = { "old" }, Lines = { new Line { Sku = "old" } }, Limits = { ["old"] = 1 } };

        Entity().Adapt(existing, Config);

        Assert.Equal(["x", "y"], existing.Tags);
        Assert.Equal(["a", "b"], existing.Lines.Select(l => l.Sku));
        Assert.Equal(["old", "images"], existing.Limits.Keys);
    }

    [Fact]
    public void Date_times_of_every_kind_become_the_same_instant()
    {
        var utc = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc);

        Assert.Equal(Timestamp.FromDateTime(utc), new DateTimeHolder { At = utc }.Adapt<Stamp>(Config).At);
        Assert.Equal(Timestamp.FromDateTime(utc), new DateTimeHolder { At = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) }.Adapt<Stamp>(Config).At);
        Assert.Equal(Timestamp.FromDateTime(utc), new DateTimeHolder { At = utc.ToLocalTime() }.Adapt<Stamp>(Config).At);
        Assert.Equal(utc, new Stamp { At = Timestamp.FromDateTime(utc) }.Adapt<DateTimeHolder>(Config).At);
    }

    [Fact]
    public void A_forgotten_destination_member_fails_compile_naming_it()
    {
        var config = new TypeAdapterConfig().UseProtoConventions();
        config.NewConfig<LineEntity, Order>().Ignore(d => d.Title, d => d.Tier, d => d.CreatedAt, d => d.PaidAt, d => d.Id, d => d.Limits, d => d.Note, d => d.Lines);

        var error = Assert.ThrowsAny<Exception>(() => config.Compile());

        // Tags is a get-only repeated field: strictness sees it only because of UseDestinationValue.
        Assert.Contains("Tags", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ignoring_every_unsourced_member_compiles()
    {
        var config = new TypeAdapterConfig().UseProtoConventions();
        config.NewConfig<LineEntity, Order>().Ignore(d => d.Title, d => d.Tier, d => d.CreatedAt, d => d.PaidAt, d => d.Id, d => d.Limits, d => d.Note, d => d.Lines, d => d.Tags);

        config.Compile();
    }

    [Fact]
    public void Global_settings_pick_up_the_scanned_registers_once()
    {
        ProtoMapping.ConfigureGlobalSettings([typeof(ProtoMappingTests).Assembly]);
        ProtoMapping.ConfigureGlobalSettings([typeof(ProtoMappingTests).Assembly]);

        Assert.Equal(new LocalizedName { Ru = "Заказ", En = "Order" }, Entity().Adapt<Order>().Title);
    }
}

/// <summary>The pairs under test; found by <see cref="ProtoMapping.CreateConfig"/>'s scan of this assembly.</summary>
public sealed class OrderMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<OrderEntity, Order>()
            .Map(dest => dest.Title, src => new LocalizedName { Ru = src.TitleRu, En = src.TitleEn });
        config.NewConfig<Order, OrderEntity>();
        config.NewConfig<DateTimeHolder, Stamp>();
        config.NewConfig<Stamp, DateTimeHolder>();
    }
}
