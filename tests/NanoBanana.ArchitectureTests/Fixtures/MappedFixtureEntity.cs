namespace NanoBanana.ArchitectureTests.Fixtures;

/// <summary>Source of the known-bad mapping fixtures; every member has a namesake in <see cref="V1.MappedFixture"/>.</summary>
internal sealed class MappedFixtureEntity
{
    public string Name { get; set; } = "";

    public long Credits { get; set; }

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public string Forgotten { get; set; } = "";
}
