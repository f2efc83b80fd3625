using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog;

internal sealed class CatalogOptions
{
    /// <summary>
    /// How long a replica serves its in-memory catalog while it cannot listen for changes (the listening
    /// connection is down); while it listens, a change anywhere refreshes it at once.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The whole catalog (a handful of rows, read on every menu and every job) held in memory per replica.
/// The listings (models of each kind, packages, plans) are built and serialized once per snapshot and handed
/// to every reader as shared responses, never changed (ADR 0195); a single model or plan is a clone. Every committed change notifies
/// <c>catalog_changed</c> (a trigger), which makes every replica's snapshot stale at once (ADR 0121); the next
/// read loads it again. Without the listening connection, snapshots expire after <see cref="CatalogOptions.CacheTtl"/>.
/// </summary>
internal sealed class CatalogSnapshot(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CatalogOptions> options)
    : IDatabaseNotificationHandler, IDisposable
{
    public const string ChangedChannel = "catalog_changed";

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _current;
    private volatile bool _listening;

    // Bumped by every change seen; a snapshot loaded before the latest bump is stale, even one whose load
    // was still running when the notification came (it may have read the old rows).
    private long _changes;

    public string Channel => ChangedChannel;

    public async ValueTask<ListModelsResponse> ActiveModelsAsync(ModelKind kind, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return kind switch
        {
            ModelKind.Image => snapshot.ActiveImageModels,
            ModelKind.Video => snapshot.ActiveVideoModels,
            _ => snapshot.ActiveModels,
        };
    }

    public async ValueTask<Model?> FindModelAsync(string slug, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.ModelsBySlug.TryGetValue(slug, out var model) ? model.Clone() : null;
    }

    public async ValueTask<ListPackagesResponse> ActivePackagesAsync(CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).ActivePackages;

    public async ValueTask<ListPlansResponse> ActivePlansAsync(CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).ActivePlans;

    public async ValueTask<Plan?> FindPlanAsync(string id, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.PlansById.TryGetValue(id, out var plan) ? plan.Clone() : null;
    }

    /// <summary>Drops the snapshot after a write on this replica (its notification follows; this one does not wait for it).</summary>
    public void Invalidate() => Interlocked.Increment(ref _changes);

    public void OnNotification(string payload) => Invalidate();

    public void OnListeningChanged(bool listening)
    {
        _listening = listening;
        if (listening)
        {
            Invalidate();   // changes made while nobody listened were not announced
        }
    }

    public void Dispose() => _reload.Dispose();

    private bool IsFresh(Snapshot? snapshot) =>
        snapshot is not null
        && snapshot.Changes == Interlocked.Read(ref _changes)
        && (_listening || clock.GetUtcNow() - snapshot.LoadedAt < options.Value.CacheTtl);

    private async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (IsFresh(current))
        {
            return current!;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (IsFresh(current))
            {
                return current!;
            }

            current = await LoadAsync(Interlocked.Read(ref _changes), cancellationToken);
            _current = current;
            return current;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(long changes, CancellationToken cancellationToken)
    {
        var loadedAt = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var models = (await db.Models.AsNoTracking().OrderBy(m => m.SortOrder).ThenBy(m => m.Slug).ToListAsync(cancellationToken))
            .Select(m => m.Adapt<Model>())
            .ToList();
        var packages = await db.Packages.AsNoTracking().Where(p => p.Active).OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken);

        var plans = (await db.Plans.AsNoTracking().OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken))
            .Select(p => p.Adapt<Plan>())
            .ToList();
        var activePlans = new ListPlansResponse();
        activePlans.Plans.Add(plans.Where(p => p.Active));

        var activePackages = new ListPackagesResponse();
        activePackages.Packages.Add(packages.Select(p => p.Adapt<Package>()));
        return new Snapshot(
            changes,
            loadedAt,
            models.ToDictionary(m => m.Slug, StringComparer.Ordinal),
            Listing(models.Where(Offered)),
            Listing(models.Where(m => Offered(m) && m.Kind == ModelKind.Image)),
            Listing(models.Where(m => Offered(m) && m.Kind == ModelKind.Video)),
            SharedResponses.Share(activePackages),
            plans.ToDictionary(p => p.Id, StringComparer.Ordinal),
            SharedResponses.Share(activePlans));
    }

    /// <summary>Shown to users: switched on, and its provider id still listed by the provider.</summary>
    private static bool Offered(Model model) => model.Active && !model.ProviderUnlisted;

    private static ListModelsResponse Listing(IEnumerable<Model> models)
    {
        var response = new ListModelsResponse();
        response.Models.Add(models);
        return SharedResponses.Share(response);
    }

    private sealed record Snapshot(
        long Changes,
        DateTimeOffset LoadedAt,
        IReadOnlyDictionary<string, Model> ModelsBySlug,
        ListModelsResponse ActiveModels,
        ListModelsResponse ActiveImageModels,
        ListModelsResponse ActiveVideoModels,
        ListPackagesResponse ActivePackages,
        IReadOnlyDictionary<string, Plan> PlansById,
        ListPlansResponse ActivePlans);
}
