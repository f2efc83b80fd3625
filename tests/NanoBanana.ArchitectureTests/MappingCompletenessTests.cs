using Google.Protobuf.WellKnownTypes;
using Mapster;
using Mapster.Models;
using NanoBanana.ArchitectureTests.Fixtures;
using NanoBanana.ArchitectureTests.Fixtures.V1;
using NanoBanana.BuildingBlocks.Mapping;
using Xunit;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// Every domain ↔ proto pair the modules register loses nothing: with every source member set, every
/// destination field is set too (ADR 0108). Strictness catches a member without a source at start-up;
/// this catches a source that does not fill it (an Ignore too many, a get-only repeated field left empty).
/// </summary>
public sealed class MappingCompletenessTests
{
    private static readonly TypeAdapterConfig ProductConfig =
        ProtoMapping.CreateConfig(Architecture.HostModules.Select(m => m.GetType().Assembly));

    // Map-context parameters the product's pairs read (Generation: the moment a job is read and its queue place).
    private static readonly Dictionary<string, object> ContextParameters = new(StringComparer.Ordinal)
    {
        ["now"] = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ["queuePosition"] = 3,
        ["estimateSeconds"] = 40,
    };

    // Source values a filler cannot guess: roles are kept only when they are known role names.
    private static readonly Dictionary<string, object> SourceOverrides = new(StringComparer.Ordinal)
    {
        ["User.Roles"] = new List<string> { "admin" },
    };

    public static TheoryData<string> ProductPairs() => [.. MappingCompleteness.ProductPairs(ProductConfig).Select(MappingCompleteness.Name)];

    [Fact]
    public void Every_module_that_builds_messages_registers_its_pairs()
    {
        var modules = MappingCompleteness.ProductPairs(ProductConfig)
            .Select(pair => pair.Source.Assembly.GetName().Name!.Replace(".Contracts", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["NanoBanana.Catalog", "NanoBanana.Payments", "NanoBanana.Users", "NanoBanana.Generation", "NanoBanana.Billing"]), modules);
    }

    [Theory]
    [MemberData(nameof(ProductPairs))]
    public void Every_destination_field_is_filled_from_a_full_source(string pair)
    {
        var tuple = MappingCompleteness.ProductPairs(ProductConfig).Single(p => MappingCompleteness.Name(p) == pair);

        Assert.Empty(new MappingCompleteness(ProductConfig, ContextParameters).DefaultFields(tuple, SourceOverrides));
    }

    [Fact]
    public void A_forgotten_field_is_reported()
    {
        var config = new TypeAdapterConfig().UseProtoConventions();
        config.NewConfig<MappedFixtureEntity, MappedFixture>().Ignore(dest => dest.Forgotten);
        config.Compile();

        var violations = new MappingCompleteness(config, ContextParameters).DefaultFields(Pair(config));

        Assert.Equal(["MappedFixture.forgotten came back default"], violations);
    }

    [Fact]
    public void A_get_only_repeated_field_left_empty_is_reported()
    {
        // Without the shared conventions Mapster compiles this strictly and still leaves Tags empty.
        var config = new TypeAdapterConfig { RequireDestinationMemberSource = true };
        config.NewConfig<DateTimeOffset, Timestamp>().MapWith(src => Timestamp.FromDateTimeOffset(src));
        config.NewConfig<MappedFixtureEntity, MappedFixture>();
        config.Compile();

        var violations = new MappingCompleteness(config, ContextParameters).DefaultFields(Pair(config));

        Assert.Equal(["MappedFixture.tags came back default"], violations);
    }

    private static TypeTuple Pair(TypeAdapterConfig config) => Assert.Single(MappingCompleteness.ProductPairs(config));
}
