using System.Reflection;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Mapster;

namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>
/// The Mapster conventions every module's domain ↔ proto mapping relies on (ADR 0108). Mapster's defaults
/// lose data silently on generated messages: get-only repeated/map fields stay empty, a DateTimeOffset
/// becomes the epoch, a null string throws from the proto setter and a forgotten member stays default.
/// Modules keep only their pairs, in an <see cref="IRegister"/> next to their domain.
/// </summary>
public static class ProtoMapping
{
    private static readonly Lock GlobalGate = new();
    private static readonly HashSet<Assembly> GlobalAssemblies = [];

    /// <summary>A new configuration with the conventions and the <see cref="IRegister"/>s found in <paramref name="assemblies"/>, compiled.</summary>
    public static TypeAdapterConfig CreateConfig(params IEnumerable<Assembly> assemblies)
    {
        var config = new TypeAdapterConfig().UseProtoConventions();
        config.Scan([.. assemblies]);
        config.Compile();
        return config;
    }

    /// <summary>
    /// Scans the modules' registers into <see cref="TypeAdapterConfig.GlobalSettings"/> (what a plain
    /// <c>Adapt&lt;T&gt;()</c> uses) and compiles every pair, so an unmapped member fails the start, not a request.
    /// Hosts started in parallel (tests) share the process-wide settings: the first one configures them,
    /// the lock keeps the others from compiling over a half-scanned configuration.
    /// </summary>
    public static void ConfigureGlobalSettings(IEnumerable<Assembly> assemblies)
    {
        lock (GlobalGate)
        {
            var added = assemblies.Where(GlobalAssemblies.Add).ToArray();
            if (added.Length == 0)
            {
                return;
            }

            if (GlobalAssemblies.Count == added.Length)
            {
                TypeAdapterConfig.GlobalSettings.UseProtoConventions();
            }

            TypeAdapterConfig.GlobalSettings.Scan(added);
            TypeAdapterConfig.GlobalSettings.Compile();
        }
    }

    /// <summary>Strictness and converters for generated protobuf messages; call once per configuration, before its pairs.</summary>
    public static TypeAdapterConfig UseProtoConventions(this TypeAdapterConfig config)
    {
        // Every destination member needs a source, a Map or an Ignore; Mapster's default skips it silently.
        config.RequireDestinationMemberSource = true;

        // Generated repeated/map fields have no setter: fill the instance the message already holds
        // (without this Mapster leaves them empty and the strict check does not even see them).
        config.Default.UseDestinationValue(member => member.SetterModifier == AccessModifier.None && IsProtoCollection(member.Type));

        config.NewConfig<DateTimeOffset, Timestamp>().MapWith(src => Timestamp.FromDateTimeOffset(src));
        config.NewConfig<Timestamp, DateTimeOffset>().MapWith(src => src.ToDateTimeOffset());

        // A DateTime of unspecified kind is taken as UTC (what PostgreSQL "timestamp" columns hand back).
        config.NewConfig<DateTime, Timestamp>().MapWith(src => Timestamp.FromDateTime(
            src.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(src, DateTimeKind.Utc) : src.ToUniversalTime()));
        config.NewConfig<Timestamp, DateTime>().MapWith(src => src.ToDateTime());

        // Proto string setters throw on null; a missing domain string is the proto default.
        config.NewConfig<string, string>().MapWith(src => src ?? string.Empty);
        return config;
    }

    private static bool IsProtoCollection(System.Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(RepeatedField<>) || definition == typeof(MapField<,>));
}
