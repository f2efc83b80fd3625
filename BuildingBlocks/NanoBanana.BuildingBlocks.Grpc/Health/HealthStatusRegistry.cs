using Grpc.Health.V1;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace NanoBanana.BuildingBlocks.Grpc.Health;

/// <summary>
/// Serving status per service name ("" = the server as a whole), as reported by grpc.health.v1.Health.
/// Every served service starts SERVING; the Host marks everything NOT_SERVING when it stops.
/// </summary>
public sealed class HealthStatusRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServingStatus? Get(string service)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(service, out var status) ? status : null;
        }
    }

    public void Set(string service, ServingStatus status)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_statuses.TryGetValue(service, out var current) && current == status)
            {
                return;
            }

            _statuses[service] = status;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void SetAll(ServingStatus status)
    {
        string[] services;
        lock (_gate)
        {
            services = [.. _statuses.Keys];
        }

        foreach (var service in services)
        {
            Set(service, status);
        }
    }

    /// <summary>Completes at the next change of any status.</summary>
    internal Task NextChange()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }
}
