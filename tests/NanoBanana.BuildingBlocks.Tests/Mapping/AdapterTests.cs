using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.BuildingBlocks.Mapping;
using NanoBanana.BuildingBlocks.Tests.Mapping.V1;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Mapping;

public sealed class AdapterTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 10, 30, 15, 123, TimeSpan.Zero);

    private static TypeAdapterConfig OrderConfig()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<OrderEntity, Order>()
            .Map(dest => dest.Title, src => new LocalizedName { Ru = src.TitleRu, En = src.TitleEn });
        config.NewConfig<Order, OrderEntity>()
            .Map(dest => dest.TitleRu, src => src.Title.Ru)
            .Map(dest => dest.TitleEn, src => src.Title.En);
        return config;
    }

    private static OrderEntity SampleEntity() => new()
    {
        Id = "order-1",
        TitleRu = "Заказ",
        TitleEn = "Order",
        Tier = TierLevel.Pro,
        Lines = [new LineEntity { Sku = "a", Quantity = 2, PriceKopecks = 1500 }, new LineEntity { Sku = "b", Quantity = 1, PriceKopecks = 99 }],
        Tags = ["new", "gift"],
        CreatedAt = Created,
        Ttl = TimeSpan.FromMinutes(90),
        DiscountPercent = 15,
        Limits = new() { ["daily"] = 10, ["monthly"] = 200 },
        Payload = [1, 2, 3],
        Note = "leave at the door",
        PaidAt = Created.AddMinutes(5),
    };

    [Fact]
    public void Entity_becomes_a_proto_message_with_every_field_kind()
    {
        var config = OrderConfig();

        var order = SampleEntity().Adapt<OrderEntity, Order>(config);

        Assert.Equal("order-1", order.Id);
        Assert.Equal(new LocalizedName { Ru = "Заказ", En = "Order" }, order.Title);
        Assert.Equal(Tier.Pro, order.Tier);
        Assert.Equal([("a", 2, 1500L), ("b", 1, 99L)], order.Lines.Select(l => (l.Sku, l.Quantity, l.PriceKopecks)));
        Assert.Equal(["new", "gift"], order.Tags);
        Assert.Equal(Timestamp.FromDateTimeOffset(Created), order.CreatedAt);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromMinutes(90)), order.Ttl);
        Assert.Equal(15, order.DiscountPercent);
        Assert.Equal(200L, order.Limits["monthly"]);
        Assert.Equal(ByteString.CopyFrom(1, 2, 3), order.Payload);
        Assert.Equal("leave at the door", order.Note);
        Assert.Equal(Created.AddMinutes(5), order.PaidAt.ToDateTimeOffset());
    }

    [Fact]
    public void Round_trip_through_the_wire_gives_back_an_equal_entity()
    {
        var config = OrderConfig();
        var original = SampleEntity();

        var wire = original.Adapt<OrderEntity, Order>(config).ToByteArray();
        var back = Order.Parser.ParseFrom(wire).Adapt<Order, OrderEntity>(config);

        Assert.Equivalent(original, back, strict: true);
    }

    [Fact]
    public void Adapt_without_source_type_uses_the_runtime_type()
    {
        object boxed = SampleEntity();

        var order = boxed.Adapt<Order>(OrderConfig());

        Assert.Equal("order-1", order.Id);
        Assert.Null(((object?)null).Adapt<Order>(OrderConfig()));
    }

    [Fact]
    public void Compile_names_every_unmapped_destination_member_of_every_pair()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<OrderEntity, Order>();
        config.NewConfig<Order, OrderEntity>();

        var error = Assert.Throws<MappingConfigurationException>(config.Compile);

        Assert.Contains("OrderEntity → Order", error.Message, StringComparison.Ordinal);
        Assert.Contains("Title: has no source member", error.Message, StringComparison.Ordinal);
        Assert.Contains("Order → OrderEntity", error.Message, StringComparison.Ordinal);
        Assert.Contains("TitleRu: has no source member", error.Message, StringComparison.Ordinal);
        Assert.Contains("TitleEn: has no source member", error.Message, StringComparison.Ordinal);
        Assert.Contains(".Ignore(dest => dest.TitleEn)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_reaches_nested_pairs_that_were_never_configured()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<Basket, BasketDto>();

        var error = Assert.Throws<MappingConfigurationException>(config.Compile);

        Assert.Contains("LineEntity → LineDto", error.Message, StringComparison.Ordinal);
        Assert.Contains("Discount: has no source member", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_value_that_cannot_become_the_member_type_is_reported()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<OrderEntity, Order>()
            .Map(dest => dest.Title, src => src.Lines);

        var error = Assert.Throws<MappingConfigurationException>(config.Compile);

        Assert.Contains("Title: cannot convert List<LineEntity> to LocalizedName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_use_without_compile_fails_with_the_same_clear_message()
    {
        var config = new TypeAdapterConfig();

        var error = Assert.Throws<MappingConfigurationException>(() => SampleEntity().Adapt<OrderEntity, Order>(config));

        Assert.Contains("Title: has no source member", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Lines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_configuration_compiles()
    {
        var config = OrderConfig();

        config.Compile();

        Assert.Equal("b", SampleEntity().Adapt<OrderEntity, Order>(config).Lines[1].Sku);
    }

    [Fact]
    public void Rule_on_a_member_the_destination_does_not_have_is_reported()
    {
        var config = OrderConfig();
        config.ForType<Order, OrderEntity>().Ignore(dest => dest.Payload);
        config.ForType<OrderEntity, LineEntity>().Ignore(dest => dest.Sku!).Map(dest => dest.Quantity, src => src.Lines!.Count);

        var error = Assert.Throws<MappingConfigurationException>(config.Compile);

        Assert.Contains("OrderEntity → LineEntity", error.Message, StringComparison.Ordinal);
        Assert.Contains("PriceKopecks: has no source member", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => config.NewConfig<Order, OrderEntity>().Map(dest => dest.TitleRu.Length, src => 1));
    }

    [Fact]
    public void Ignored_member_keeps_its_value_when_adapting_onto_an_existing_object()
    {
        var config = OrderConfig();
        config.ForType<Order, OrderEntity>().Ignore(dest => dest.Note);
        var existing = SampleEntity();
        var incoming = SampleEntity().Adapt<OrderEntity, Order>(config);
        incoming.Note = "changed";
        incoming.Title.En = "Renamed";
        incoming.Lines.RemoveAt(0);

        var result = incoming.Adapt(existing, config);

        Assert.Same(existing, result);
        Assert.Equal("leave at the door", existing.Note);
        Assert.Equal("Renamed", existing.TitleEn);
        Assert.Equal(["b"], existing.Lines!.Select(l => l.Sku));
    }

    [Fact]
    public void Adapting_onto_an_existing_proto_replaces_repeated_and_map_contents()
    {
        var config = OrderConfig();
        var existing = new Order { Id = "old", Note = "old" };
        existing.Tags.Add(["stale", "tags"]);
        existing.Limits.Add("stale", 1);
        existing.Lines.Add(new Line { Sku = "stale" });

        SampleEntity().Adapt(existing, config);

        Assert.Equal("order-1", existing.Id);
        Assert.Equal(["new", "gift"], existing.Tags);
        Assert.Equal(["daily", "monthly"], existing.Limits.Keys.Order());
        Assert.Equal(["a", "b"], existing.Lines.Select(l => l.Sku));
    }

    [Fact]
    public void Null_source_values_become_proto_defaults_and_back()
    {
        var config = OrderConfig();
        var entity = new OrderEntity { Lines = [new LineEntity { Sku = null }], Tags = null, Note = null, DiscountPercent = null, PaidAt = null };

        var order = entity.Adapt<OrderEntity, Order>(config);
        var back = order.Adapt<Order, OrderEntity>(config);

        Assert.Equal(string.Empty, order.Note);
        Assert.Equal(string.Empty, order.Lines[0].Sku);
        Assert.Empty(order.Tags);
        Assert.Null(order.DiscountPercent);
        Assert.Null(order.PaidAt);
        Assert.Null(back.DiscountPercent);
        Assert.Null(back.PaidAt);
        Assert.Equal(string.Empty, back.Note);
    }

    [Fact]
    public void Missing_proto_message_fields_map_to_nulls_and_defaults()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<Order, OrderEntity>()
            .Map(dest => dest.TitleRu, src => src.Title == null ? "" : src.Title.Ru)
            .Map(dest => dest.TitleEn, src => src.Title == null ? "" : src.Title.En);

        var entity = new Order { Id = "bare" }.Adapt<Order, OrderEntity>(config);

        Assert.Equal(default, entity.CreatedAt);
        Assert.Equal(TimeSpan.Zero, entity.Ttl);
        Assert.Null(entity.PaidAt);
        Assert.Empty(entity.Lines!);
        Assert.Empty(entity.Payload);
        Assert.Equal((TierLevel)0, entity.Tier);
    }

    [Fact]
    public void Enums_map_by_value_unless_by_name_is_configured()
    {
        var byValue = new TypeAdapterConfig();
        var byName = new TypeAdapterConfig();
        byName.NewConfig<PlanHolder, Order>()
            .EnumMappingStrategy(EnumMappingStrategy.ByName)
            .Ignore(dest => dest.Id, dest => dest.Title, dest => dest.Lines, dest => dest.Tags, dest => dest.CreatedAt, dest => dest.Ttl,
                dest => dest.DiscountPercent, dest => dest.Limits, dest => dest.Payload, dest => dest.Note, dest => dest.PaidAt);
        byName.NewConfig<Order, PlanHolder>().EnumMappingStrategy(EnumMappingStrategy.ByName);

        Assert.Equal(PlanName.Pro, new Order { Tier = Tier.Pro }.Adapt<Order, PlanHolder>(byName).Tier);
        Assert.Equal(Tier.Free, new PlanHolder { Tier = PlanName.Free }.Adapt<PlanHolder, Order>(byName).Tier);
        Assert.Equal(Tier.Pro, TierLevel.Pro.Adapt<TierLevel, Tier>(byValue));
        Assert.Equal((PlanName)2, Tier.Pro.Adapt<Tier, PlanName>(byValue));
    }

    [Fact]
    public void By_name_enum_value_without_a_namesake_throws_naming_it()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<Tier, PlanName>().EnumMappingStrategy(EnumMappingStrategy.ByName);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tier.Unspecified.Adapt<Tier, PlanName>(config));

        Assert.Contains("Tier.Unspecified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrowing_a_number_that_does_not_fit_throws_instead_of_wrapping()
    {
        var config = new TypeAdapterConfig();

        Assert.Equal(7, new WideCount { Count = 7 }.Adapt<WideCount, NarrowCount>(config).Count);
        Assert.Throws<OverflowException>(() => new WideCount { Count = long.MaxValue }.Adapt<WideCount, NarrowCount>(config));
    }

    [Fact]
    public void Timestamps_accept_every_date_time_kind()
    {
        var config = new TypeAdapterConfig();
        var utc = new DateTime(2026, 11, 21, 8, 0, 0, DateTimeKind.Utc);

        Assert.Equal(utc, DateTime.SpecifyKind(utc, DateTimeKind.Unspecified).Adapt<DateTime, Timestamp>(config).ToDateTime());
        Assert.Equal(utc, utc.ToLocalTime().Adapt<DateTime, Timestamp>(config).ToDateTime());
        Assert.Equal(utc, Timestamp.FromDateTime(utc).Adapt<Timestamp, DateTime>(config));
    }

    [Fact]
    public void Collections_and_recursive_types_map_at_the_top_level()
    {
        var config = new TypeAdapterConfig();
        var tree = new TreeNode { Name = "root", Children = [new TreeNode { Name = "leaf", Children = [new TreeNode { Name = "deep" }] }] };

        var dtos = new List<TreeNode> { tree }.Adapt<List<TreeNode>, TreeNodeDto[]>(config);

        Assert.Equal("deep", dtos[0].Children[0].Children[0].Name);
        Assert.Equal(["a", "b"], new[] { new LineEntity { Sku = "a" }, new LineEntity { Sku = "b" } }.Adapt<LineEntity[], List<Line>>(config).Select(l => l.Sku));
    }

    [Fact]
    public void Same_type_objects_are_copied_not_shared()
    {
        var config = new TypeAdapterConfig();
        var original = new Order { Id = "a", Title = new LocalizedName { Ru = "р", En = "e" } };

        var copy = original.Adapt<Order, Order>(config);

        Assert.Equal(original, copy);
        Assert.NotSame(original.Title, copy.Title);
    }

    [Fact]
    public async Task Concurrent_first_use_compiles_one_working_mapper()
    {
        var config = OrderConfig();
        var entity = SampleEntity();
        var expected = entity.Adapt<OrderEntity, Order>(OrderConfig());
        using var start = new Barrier(8);

        var results = Enumerable.Range(0, 8)
            .Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return Enumerable.Range(0, 200).Select(_ => entity.Adapt<OrderEntity, Order>(config)).ToList();
                },
                TaskCreationOptions.LongRunning))
            .ToArray();
        var orders = await Task.WhenAll(results);

        Assert.All(orders.SelectMany(o => o), order => Assert.Equal(expected, order));
    }

    [Fact]
    public void Global_settings_pick_up_scanned_registers()
    {
        var registers = TypeAdapterConfig.GlobalSettings.Scan(typeof(AdapterTests).Assembly);

        Assert.Contains(registers, r => r is GlobalMappingRegister);
        Assert.Equal("code:x", new GlobalSource { Code = "x" }.Adapt<GlobalDestination>().Label);
    }
}
