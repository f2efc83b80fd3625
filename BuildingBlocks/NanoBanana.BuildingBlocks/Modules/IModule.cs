using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NanoBanana.BuildingBlocks.Modules;

/// <summary>
/// A module's entry point, the only public type of its implementation assembly besides Contracts.
/// The Host lists modules; the gRPC layer serves the services of <see cref="Contracts"/>.
/// </summary>
public interface IModule
{
    /// <summary>Lower-case name; also the module's PostgreSQL schema.</summary>
    string Name { get; }

    /// <summary>The proto files whose services this module implements (empty for a module without RPCs).</summary>
    IReadOnlyList<FileDescriptor> Contracts { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>Plain HTTP endpoints (webhooks, pages) on the HTTP/1.1 port, if any.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
