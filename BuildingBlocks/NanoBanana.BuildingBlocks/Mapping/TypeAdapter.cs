namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>The <c>Adapt</c> extension methods, named and shaped like Mapster's.</summary>
public static class TypeAdapter
{
    /// <summary>Maps to a new <typeparamref name="TDestination"/>, from the source's runtime type; null gives default.</summary>
    public static TDestination Adapt<TDestination>(this object? source) => source.Adapt<TDestination>(TypeAdapterConfig.GlobalSettings);

    public static TDestination Adapt<TDestination>(this object? source, TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return source is null ? default! : config.GetMapperFromObject<TDestination>(source.GetType())(source);
    }

    /// <summary>Maps to a new <typeparamref name="TDestination"/> using the static source type.</summary>
    public static TDestination Adapt<TSource, TDestination>(this TSource source) => source.Adapt<TSource, TDestination>(TypeAdapterConfig.GlobalSettings);

    public static TDestination Adapt<TSource, TDestination>(this TSource source, TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetMapper<TSource, TDestination>()(source);
    }

    /// <summary>
    /// Copies the source onto an existing destination and returns it. Nested objects are replaced by new
    /// ones; get-only repeated fields are cleared and refilled. A null source leaves the destination as is.
    /// </summary>
    public static TDestination Adapt<TSource, TDestination>(this TSource source, TDestination destination) =>
        source.Adapt(destination, TypeAdapterConfig.GlobalSettings);

    public static TDestination Adapt<TSource, TDestination>(this TSource source, TDestination destination, TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetMapperOnto<TSource, TDestination>()(source, destination);
    }
}
