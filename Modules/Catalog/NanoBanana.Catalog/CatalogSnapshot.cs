using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;

namespace NanoBanana.Catalog;

internal sealed class CatalogOptions
{
    /// <summary>How long a replica serves its in-memory catalog before re-reading it; writes on the same replica refresh at once.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The whole catalog (a handful of rows, read on every menu and every job) held in memory per replica.
/// Readers get clones, so nobody can change the shared copy. Another replica's write becomes visible
/// within <see cref="CatalogOptions.CacheTtl"/>.
/// </summary>
internal sealed class CatalogSnapshot(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CatalogOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _current;

    public async ValueTask<ListModelsResponse> ActiveModelsAsync(ModelKind kind, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return (kind switch
        {
            ModelKind.Image => snapshot.ActiveImageModels,
            ModelKind.Video => snapshot.ActiveVideoModels,
            _ => snapshot.ActiveModels,
        }).Clone();
    }

    public async ValueTask<Model?> FindModelAsync(string slug, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.ModelsBySlug.TryGetValue(slug, out var model) ? model.Clone() : null;
    }

    public async ValueTask<ListPackagesResponse> ActivePackagesAsync(CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).ActivePackages.Clone();

    /// <summary>Drops the snapshot after a write on this replica.</summary>
    public void Invalidate() => _current = null;

    public void Dispose() => _reload.Dispose();

    private async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && clock.GetUtcNow() - current.LoadedAt < options.Value.CacheTtl)
        {
            return current;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (current is not null && clock.GetUtcNow() - current.LoadedAt < options.Value.CacheTtl)
            {
                return current;
            }

            current = await LoadAsync(cancellationToken);
            _current = current;
            return current;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var loadedAt = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var models = (await db.Models.AsNoTracking().OrderBy(m => m.SortOrder).ThenBy(m => m.Slug).ToListAsync(cancellationToken))
            .Select(m => m.Adapt<Model>())
            .ToList();
        var packages = await db.Packages.AsNoTracking().Where(p => p.Active).OrderBy(p => p.SortOrder).ThenBy(p => p.Id).ToListAsync(cancellationToken);

        var activePackages = new ListPackagesResponse();
        activePackages.Packages.Add(packages.Select(p => p.Adapt<Package>()));
        return new Snapshot(
            loadedAt,
            models.ToDictionary(m => m.Slug, StringComparer.Ordinal),
            Listing(models.Where(Offered)),
            Listing(models.Where(m => Offered(m) && m.Kind == ModelKind.Image)),
            Listing(models.Where(m => Offered(m) && m.Kind == ModelKind.Video)),
            activePackages);
    }

    /// <summary>Shown to users: switched on, and its provider id still listed by the provider.</summary>
    private static bool Offered(Model model) => model.Active && !model.ProviderUnlisted;

    private static ListModelsResponse Listing(IEnumerable<Model> models)
    {
        var response = new ListModelsResponse();
        response.Models.Add(models);
        return response;
    }

    private sealed record Snapshot(
        DateTimeOffset LoadedAt,
        IReadOnlyDictionary<string, Model> ModelsBySlug,
        ListModelsResponse ActiveModels,
        ListModelsResponse ActiveImageModels,
        ListModelsResponse ActiveVideoModels,
        ListPackagesResponse ActivePackages);
}
