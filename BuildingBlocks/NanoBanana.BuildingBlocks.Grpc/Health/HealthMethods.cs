using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Grpc.Transport;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace NanoBanana.BuildingBlocks.Grpc.Health;

/// <summary>grpc.health.v1.Health: Check and Watch, served without authentication (load balancers, probes).</summary>
internal static class HealthMethods
{
    private const string HealthService = "grpc.health.v1.Health";

    public static IEnumerable<ServerMethod> All() => [new Check(), new Watch()];

    private sealed class Check() : ServerMethod(HealthService, "Check", access: null)
    {
        public override async Task<GrpcStatus> ExecuteAsync(GrpcCall call)
        {
            var request = await call.ReadSingleMessageAsync(HealthCheckRequest.Parser);
            var status = call.Services.GetRequiredService<HealthStatusRegistry>().Get(request.Service);
            if (status is null)
            {
                return new GrpcStatus(GrpcStatusCode.NotFound, $"Unknown service '{request.Service}'.");
            }

            await call.WriteMessageAsync(new HealthCheckResponse { Status = status.Value });
            return GrpcStatus.Ok;
        }
    }

    private sealed class Watch() : ServerMethod(HealthService, "Watch", access: null)
    {
        public override async Task<GrpcStatus> ExecuteAsync(GrpcCall call)
        {
            var request = await call.ReadSingleMessageAsync(HealthCheckRequest.Parser);
            var registry = call.Services.GetRequiredService<HealthStatusRegistry>();
            ServingStatus? sent = null;
            while (true)
            {
                // Take the change signal before reading so no change slips between read and wait.
                var changed = registry.NextChange();
                var current = registry.Get(request.Service) ?? ServingStatus.ServiceUnknown;
                if (current != sent)
                {
                    await call.WriteMessageAsync(new HealthCheckResponse { Status = current });
                    sent = current;
                }

                await changed.WaitAsync(call.CancellationToken);
            }
        }
    }
}
