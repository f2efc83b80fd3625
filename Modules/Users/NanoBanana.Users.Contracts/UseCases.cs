using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Users.Contracts.V1;

// Each RPC's request message names its use case: the gRPC method and in-process callers reach the same handler.
public sealed partial class UpsertTelegramUserRequest : IUseCase<UpsertTelegramUserResponse>;

public sealed partial class RecordChatMemberStatusRequest : IUseCase<RecordChatMemberStatusResponse>;

public sealed partial class GetUserStatsRequest : IUseCase<GetUserStatsResponse>;

public sealed partial class GetMeRequest : IUseCase<GetMeResponse>;

public sealed partial class UpdateMySettingsRequest : IUseCase<UpdateMySettingsResponse>;

public sealed partial class GetMyReferralInfoRequest : IUseCase<GetMyReferralInfoResponse>;

public sealed partial class GetUserRequest : IUseCase<GetUserResponse>;

public sealed partial class SearchUsersRequest : IUseCase<SearchUsersResponse>;

public sealed partial class BanUserRequest : IUseCase<BanUserResponse>;

public sealed partial class UnbanUserRequest : IUseCase<UnbanUserResponse>;

public sealed partial class SetRolesRequest : IUseCase<SetRolesResponse>;

public sealed partial class SignInWithTelegramRequest : IUseCase<SignInWithTelegramResponse>;

public sealed partial class RevokeApiKeyRequest : IUseCase<RevokeApiKeyResponse>;

public sealed partial class ListApiKeysRequest : IUseCase<ListApiKeysResponse>;
