namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>A mapping cannot be built: unmapped destination members, unconvertible types, bad rules.</summary>
public sealed class MappingConfigurationException : Exception
{
    public MappingConfigurationException()
    {
    }

    public MappingConfigurationException(string message)
        : base(message)
    {
    }

    public MappingConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
