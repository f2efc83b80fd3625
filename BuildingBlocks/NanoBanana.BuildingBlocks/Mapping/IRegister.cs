namespace NanoBanana.BuildingBlocks.Mapping;

/// <summary>A set of mapping rules, found by <see cref="TypeAdapterConfig.Scan"/> (Mapster's <c>IRegister</c>).</summary>
public interface IRegister
{
    void Register(TypeAdapterConfig config);
}
