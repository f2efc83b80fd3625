using Ardalis.Result;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Testing.Echo.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>A test module serving testing.v1.EchoService through the real binder.</summary>
public sealed class EchoModule : IModule
{
    public string Name => "echo";

    public IReadOnlyList<FileDescriptor> Contracts { get; } = [EchoReflection.Descriptor];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediationFrom(typeof(EchoModule).Assembly);
        services.AddSingleton<SleepProbe>();
    }
}

/// <summary>Lets tests observe that a sleeping handler saw its cancellation.</summary>
public sealed class SleepProbe
{
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public Task Cancelled => _cancelled.Task;

    public void Reset()
    {
        _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal void MarkStarted() => _started.TrySetResult();

    internal void MarkCancelled() => _cancelled.TrySetResult();
}

internal sealed class EchoHandler(CallMetadata metadata) : IUseCaseHandler<EchoRequest, EchoResponse>
{
    public Task<Result<EchoResponse>> Handle(EchoRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<Result<EchoResponse>>(new EchoResponse
        {
            Text = request.Text,
            MetadataValue = request.MetadataKey.Length > 0 ? metadata.Get(request.MetadataKey) ?? "" : "",
            Padding = ByteString.CopyFrom(new byte[request.Padding]),
        });
}

internal sealed class FailHandler : IUseCaseHandler<FailRequest, FailResponse>
{
    public Task<Result<FailResponse>> Handle(FailRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Failure switch
        {
            Failure.Invalid => Result<FailResponse>.Invalid(
                new ValidationError("model.slug", request.Message),
                new ValidationError("prompt", "must not be empty")),
            Failure.NotFound => Result<FailResponse>.NotFound(request.Message),
            Failure.Unauthorized => Result<FailResponse>.Unauthorized(request.Message),
            Failure.Forbidden => Result<FailResponse>.Forbidden(request.Message),
            Failure.Conflict => Result<FailResponse>.Conflict(request.Message),
            Failure.Unavailable => Result<FailResponse>.Unavailable(request.Message),
            Failure.Error => Result<FailResponse>.Error(request.Message),
            Failure.CriticalError => Result<FailResponse>.CriticalError(request.Message),
            Failure.Created => Result<FailResponse>.Created(new FailResponse()),
            Failure.NoContent => Result<FailResponse>.NoContent(),
            Failure.Throw => throw new InvalidOperationException(request.Message),
            _ => Result<FailResponse>.Success(new FailResponse()),
        });
}

internal sealed class SleepHandler(SleepProbe probe) : IUseCaseHandler<SleepRequest, SleepResponse>
{
    public async Task<Result<SleepResponse>> Handle(SleepRequest request, CancellationToken cancellationToken)
    {
        probe.MarkStarted();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.MarkCancelled();
            throw;
        }

        return new SleepResponse();
    }
}

internal sealed class CountHandler : IStreamUseCaseHandler<CountRequest, CountResponse>
{
    public Task<Result<IAsyncEnumerable<CountResponse>>> Handle(CountRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Count < 0
            ? Result<IAsyncEnumerable<CountResponse>>.Invalid(new ValidationError("count", "must not be negative"))
            : Result<IAsyncEnumerable<CountResponse>>.Success(Numbers(request, cancellationToken)));

    private static async IAsyncEnumerable<CountResponse> Numbers(CountRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var number = 1; number <= request.Count; number++)
        {
            if (request.FailAfter > 0 && number > request.FailAfter)
            {
                throw new InvalidOperationException("secret stream failure");
            }

            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CountResponse { Number = number };
        }
    }
}

internal sealed class WhoAmIHandler(CallContext context) : IUseCaseHandler<WhoAmIRequest, WhoAmIResponse>
{
    public Task<Result<WhoAmIResponse>> Handle(WhoAmIRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<Result<WhoAmIResponse>>(new WhoAmIResponse { Actor = context.Principal.Actor });
}

internal sealed class MyProfileHandler : IUseCaseHandler<MyProfileRequest, MyProfileResponse>
{
    public Task<Result<MyProfileResponse>> Handle(MyProfileRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<Result<MyProfileResponse>>(new MyProfileResponse());
}

internal sealed class InProcessHandler : IUseCaseHandler<InProcessRequest, InProcessResponse>
{
    public Task<Result<InProcessResponse>> Handle(InProcessRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<Result<InProcessResponse>>(new InProcessResponse());
}
