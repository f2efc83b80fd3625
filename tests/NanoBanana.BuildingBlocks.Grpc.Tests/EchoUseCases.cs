using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Testing.Echo.V1;

public sealed partial class EchoRequest : IUseCase<EchoResponse>;

public sealed partial class FailRequest : IUseCase<FailResponse>;

public sealed partial class SleepRequest : IUseCase<SleepResponse>;

public sealed partial class CountRequest : IStreamUseCase<CountResponse>;

public sealed partial class WhoAmIRequest : IUseCase<WhoAmIResponse>;

public sealed partial class MyProfileRequest : IUseCase<MyProfileResponse>;

public sealed partial class InProcessRequest : IUseCase<InProcessResponse>;
