using Google.Protobuf.WellKnownTypes;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Domain;
using ContractUser = NanoBanana.Users.Contracts.V1.User;

namespace NanoBanana.Users;

internal static class UsersMapping
{
    private static readonly Dictionary<string, UserRole> RoleByName = new(StringComparer.Ordinal)
    {
        ["admin"] = UserRole.Admin,
        ["support"] = UserRole.Support,
    };

    public static string RoleName(UserRole role) => RoleByName.Single(pair => pair.Value == role).Key;

    public static ContractUser ToContract(this Domain.User user) => new()
    {
        Id = user.Id,
        Username = user.Username ?? "",
        FirstName = user.FirstName,
        LastName = user.LastName ?? "",
        LanguageCode = user.LanguageCode ?? "",
        IsPremium = user.IsPremium,
        FirstSeenAt = Timestamp.FromDateTimeOffset(user.FirstSeenAt),
        LastSeenAt = Timestamp.FromDateTimeOffset(user.LastSeenAt),
        BlockedBot = user.BlockedBot,
        Banned = user.Banned,
        BanReason = user.BanReason ?? "",
        Roles = { user.Roles.Where(RoleByName.ContainsKey).Select(r => RoleByName[r]) },
        Settings = user.ToSettings(),
        ReferralCode = user.ReferralCode,
        ReferrerId = user.ReferrerId ?? 0,
    };

    public static UserSettings ToSettings(this Domain.User user) => new()
    {
        PreferredImageModel = user.PreferredImageModel,
        PreferredVideoModel = user.PreferredVideoModel,
        AspectRatio = user.AspectRatio,
        InterfaceLanguage = (InterfaceLanguage)user.InterfaceLanguage,
    };

    public static Contracts.V1.ApiKey ToContract(this Domain.ApiKey key) => new()
    {
        Name = key.Name,
        Role = key.Role,
        CreatedAt = Timestamp.FromDateTimeOffset(key.CreatedAt),
        RevokedAt = key.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };
}
