using Grpc.AspNetCore.Server.Model;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// The service type Grpc.AspNetCore maps for every use-case method. It is never instantiated
/// (<c>SuppressCreatingService</c>): the methods are added by <see cref="UseCaseMethodProvider"/>
/// from the proto descriptors, not by a generated base class.
/// </summary>
public sealed class UseCaseService;

/// <summary>The use-case methods bound at start-up (filled by MapGrpcServices before the service is mapped).</summary>
internal sealed class BoundUseCaseMethods
{
    public IReadOnlyList<UseCaseMethod> Methods { get; set; } = [];
}

/// <summary>Hands the bound use-case methods to Grpc.AspNetCore's endpoint discovery.</summary>
internal sealed class UseCaseMethodProvider(BoundUseCaseMethods bound) : IServiceMethodProvider<UseCaseService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<UseCaseService> context)
    {
        foreach (var method in bound.Methods)
        {
            method.AddTo(context);
        }
    }
}
