using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Background;

/// <summary>
/// At start and every <see cref="GenerationOptions.ProviderModelCheckInterval"/>: asks each provider this deployment
/// has credentials for which model ids it lists, and compares every active Catalog model of that provider (ADR 0130).
/// A missing id gets a row in <c>generation.unlisted_models</c> with a <see cref="ProviderModelUnlisted"/> event in the
/// same transaction (the row's key makes it one alert however many replicas check), then Catalog hides the model.
/// A listed id is shown again and its row deleted. A list that cannot be read changes nothing.
/// </summary>
internal sealed partial class ProviderModelCheck(
    IServiceProvider services,
    IEnumerable<IProviderModelList> lists,
    UnlistedModels unlisted,
    GenerationOptions options,
    TimeProvider clock,
    ILogger<ProviderModelCheck> logger) : BackgroundService
{
    // Once at start, then every interval.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new WorkLoop("the provider model check", logger) { IdleWait = options.ProviderModelCheckInterval, Clock = clock }.RunAsync(
            async cancellationToken =>
            {
                await CheckAsync(cancellationToken);
                return false;
            },
            stoppingToken);

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<UseCaseSender>();
        var db = scope.ServiceProvider.GetRequiredService<GenerationDbContext>();
        var all = await sender.SendAsync(Principal.Module, new ListAllModelsRequest(), cancellationToken);
        if (!all.IsSuccess)
        {
            throw new InvalidOperationException($"ListAllModels: {all.Status} {string.Join("; ", all.Errors)}");
        }

        // Rows are kept only for models a successful list has just confirmed missing; a failed list keeps its provider's rows.
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var failed = new HashSet<Engine>();
        foreach (var list in lists.Where(l => l.Configured))
        {
            IReadOnlySet<string> ids;
            try
            {
                ids = await list.ListModelIdsAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    throw new ProviderFailureException(FailureClass.Empty, $"{list.Engine} listed no models");
                }
            }
            catch (ProviderFailureException exception)
            {
                failed.Add(list.Engine);
                unlisted.ListFailed(list.Engine);
                LogListFailed(logger, exception, list.Engine);
                continue;
            }

            unlisted.Listed(list.Engine);
            foreach (var model in all.Value.Models.Where(m => m.Active && (Engine)m.Provider == list.Engine))
            {
                if (ids.Contains(model.ProviderModelId))
                {
                    continue;
                }

                keep.Add(model.Slug);
                if (await RecordAsync(db, model, list.Engine, cancellationToken))
                {
                    LogUnlisted(logger, model.Slug, list.Engine, model.ProviderModelId);
                }

                await SetListedAsync(sender, model.Slug, model.ProviderModelId, listed: false, cancellationToken);
            }
        }

        // Shown again: listed now, switched off or removed, its id changed, or its provider no longer configured here.
        var rows = await db.UnlistedModels.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var row in rows.Where(r => !keep.Contains(r.ModelSlug) && !failed.Contains(r.Engine)))
        {
            await SetListedAsync(sender, row.ModelSlug, row.ProviderModelId, listed: true, cancellationToken);
            await db.UnlistedModels.Where(u => u.ModelSlug == row.ModelSlug && u.ProviderModelId == row.ProviderModelId).ExecuteDeleteAsync(cancellationToken);
        }

        unlisted.Set(await db.UnlistedModels.AsNoTracking().OrderBy(u => u.ModelSlug).ToListAsync(cancellationToken));
    }

    /// <summary>The row and its event, once per model and id; true when this check is the one that found it.</summary>
    private async Task<bool> RecordAsync(GenerationDbContext db, Model model, Engine engine, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var recorded = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO generation.unlisted_models (model_slug, provider_model_id, engine, detected_at)
            VALUES ({model.Slug}, {model.ProviderModelId}, {(int)engine}, {now})
            ON CONFLICT (model_slug) DO UPDATE SET provider_model_id = excluded.provider_model_id, engine = excluded.engine, detected_at = excluded.detected_at
            WHERE unlisted_models.provider_model_id <> excluded.provider_model_id
            """,
            cancellationToken);
        if (recorded == 0)
        {
            return false;
        }

        db.AddIntegrationEvent(
            new ProviderModelUnlisted { ModelSlug = model.Slug, ProviderModelId = model.ProviderModelId, Provider = engine.ToString(), DetectedAt = Timestamp.FromDateTimeOffset(now) },
            clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.NotifyOutbox();
        return true;
    }

    private static async Task SetListedAsync(UseCaseSender sender, string slug, string providerModelId, bool listed, CancellationToken cancellationToken)
    {
        var set = await sender.SendAsync(Principal.Module, new SetModelProviderListedRequest { Slug = slug, ProviderModelId = providerModelId, Listed = listed }, cancellationToken);
        if (!set.IsSuccess && set.Status != ResultStatus.Invalid)
        {
            throw new InvalidOperationException($"SetModelProviderListed {slug}: {set.Status} {string.Join("; ", set.Errors)}");
        }
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the model list of {Engine}; its models are left as they were")]
    private static partial void LogListFailed(ILogger logger, Exception exception, Engine engine);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Model {Slug} hidden: {Engine} no longer lists {ProviderModelId}")]
    private static partial void LogUnlisted(ILogger logger, string slug, Engine engine, string providerModelId);
}
