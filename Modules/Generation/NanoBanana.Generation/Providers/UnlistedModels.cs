using Microsoft.Extensions.Diagnostics.HealthChecks;
using NanoBanana.Generation.Domain;
using Prometheus;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// What this replica's last provider-model check found, for <c>/metrics</c> and health: one
/// <c>generation_provider_model_unlisted</c> series per hidden model, and per provider when its list was last read.
/// </summary>
internal sealed class UnlistedModels(IMetricFactory metrics)
{
    private readonly Gauge _unlisted = metrics.CreateGauge(
        "generation_provider_model_unlisted", "Active models hidden because their provider no longer lists the provider model id", ["model", "provider", "provider_model_id"]);

    private readonly Gauge _listedAt = metrics.CreateGauge(
        "generation_provider_model_list_read_timestamp_seconds", "When the provider-model check last read a provider's model list", ["provider"]);

    private readonly Counter _listFailures = metrics.CreateCounter(
        "generation_provider_model_list_failures_total", "Provider-model checks that could not read a provider's model list", ["provider"]);

    private volatile IReadOnlyList<UnlistedModel> _current = [];

    public IReadOnlyList<UnlistedModel> Current => _current;

    public void Set(IReadOnlyList<UnlistedModel> models)
    {
        foreach (var gone in _current.Where(old => !models.Any(m => m.ModelSlug == old.ModelSlug && m.ProviderModelId == old.ProviderModelId)))
        {
            _unlisted.RemoveLabelled(gone.ModelSlug, gone.Engine.ToString(), gone.ProviderModelId);
        }

        foreach (var model in models)
        {
            _unlisted.WithLabels(model.ModelSlug, model.Engine.ToString(), model.ProviderModelId).Set(1);
        }

        _current = models;
    }

    public void Listed(Engine engine) => _listedAt.WithLabels(engine.ToString()).SetToCurrentTimeUtc();

    public void ListFailed(Engine engine) => _listFailures.WithLabels(engine.ToString()).Inc();
}

/// <summary>Degraded (still serving) while a model is hidden because its provider no longer lists it.</summary>
internal sealed class ProviderModelsHealthCheck(UnlistedModels unlisted) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var models = unlisted.Current;
        return Task.FromResult(models.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Join("; ", models.Select(m => $"{m.ModelSlug} hidden: {m.Engine} no longer lists {m.ProviderModelId}"))));
    }
}
