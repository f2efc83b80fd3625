namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>Mapster's static shortcut to the rules of one pair in <see cref="TypeAdapterConfig.GlobalSettings"/>.</summary>
public static class TypeAdapterConfig<TSource, TDestination>
{
    public static TypeAdapterSetter<TSource, TDestination> NewConfig() => TypeAdapterConfig.GlobalSettings.NewConfig<TSource, TDestination>();

    public static TypeAdapterSetter<TSource, TDestination> ForType() => TypeAdapterConfig.GlobalSettings.ForType<TSource, TDestination>();
}
