using Google.Protobuf.WellKnownTypes;

namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>Helpers called from compiled mappers.</summary>
internal static class MappingRuntime
{
    /// <summary>
    /// Timestamp.FromDateTime throws for non-UTC kinds. Unspecified is taken as UTC (Npgsql and our code
    /// keep UTC everywhere); local times are converted.
    /// </summary>
    public static Timestamp ToTimestamp(DateTime value) => Timestamp.FromDateTime(value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    });

    public static TDestination UnmatchedEnum<TDestination>(object value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{value.GetType().Name}.{value} has no member of the same name in {typeof(TDestination).Name}.");
}
