namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>How an enum becomes another enum.</summary>
public enum EnumMappingStrategy
{
    /// <summary>Same numeric value (the default: our domain enums mirror the proto values).</summary>
    ByValue,

    /// <summary>Same member name, case-insensitive; a source value without a namesake throws.</summary>
    ByName,
}
