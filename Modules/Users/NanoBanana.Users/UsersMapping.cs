using Mapster;
using NanoBanana.Users.Contracts.V1;
using ContractUser = NanoBanana.Users.Contracts.V1.User;

namespace NanoBanana.Users;

/// <summary>
/// Entity → contract pairs of the Users module (conventions: <see cref="BuildingBlocks.Mapping.ProtoMapping"/>).
/// Same-named members map by convention; roles are stored by name, the settings are flattened on the entity.
/// </summary>
internal sealed class UsersMapping : IRegister
{
    private static readonly Dictionary<string, UserRole> RoleByName = new(StringComparer.Ordinal)
    {
        ["admin"] = UserRole.Admin,
        ["support"] = UserRole.Support,
    };

    public static string RoleName(UserRole role) => RoleByName.Single(pair => pair.Value == role).Key;

    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<Domain.User, ContractUser>()
            .Map(dest => dest.Roles, src => src.Roles.Where(RoleByName.ContainsKey).Select(role => RoleByName[role]))
            .Map(dest => dest.Settings, src => src)
            .Map(dest => dest.ReferrerId, src => src.ReferrerId ?? 0);

        config.NewConfig<Domain.User, UserSettings>()
            .Map(dest => dest.InterfaceLanguage, src => (InterfaceLanguage)src.InterfaceLanguage);

        config.NewConfig<Domain.ApiKey, Contracts.V1.ApiKey>();
    }
}
