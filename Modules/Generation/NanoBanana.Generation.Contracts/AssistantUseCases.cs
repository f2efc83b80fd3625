using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Generation.Contracts.V1;

public sealed partial class AskPromptAssistantForUserRequest : IUseCase<AskPromptAssistantForUserResponse>;
