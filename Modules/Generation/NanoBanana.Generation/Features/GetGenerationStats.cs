using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Generation.Assistant;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Features;

/// <summary>
/// Per-model operations and money figures since a point in time (default: the last 30 days), computed in SQL, plus the
/// jobs in flight now. The prompt assistant's requests are one more row, <see cref="AssistantTurn.StatsSlug"/>, with
/// OpenRouter's reported cost of every attempt (ADR 0170).
/// </summary>
internal sealed class GetGenerationStats(SqlSession sql, TimeProvider clock) : IUseCaseHandler<GetGenerationStatsRequest, GetGenerationStatsResponse>
{
    public async Task<Result<GetGenerationStatsResponse>> Handle(GetGenerationStatsRequest request, CancellationToken cancellationToken)
    {
        var since = request.Since?.ToDateTimeOffset() ?? clock.GetUtcNow().AddDays(-30);
        var models = new Dictionary<string, ModelStats>(StringComparer.Ordinal);
        await using (var command = sql.Command("""
            SELECT model_slug, count(*), count(*) FILTER (WHERE status = 3), count(*) FILTER (WHERE status = 4),
                COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - started_at)) FILTER (WHERE status = 3), 0),
                COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - started_at)) FILTER (WHERE status = 3), 0),
                COALESCE(sum(charged_credits) FILTER (WHERE status = 3), 0)::bigint,
                COALESCE(sum(provider_cost_kopecks) FILTER (WHERE status = 3), 0)::bigint
            FROM generation.jobs WHERE created_at >= @since
            GROUP BY model_slug
            UNION ALL
            SELECT @assistant, count(*), count(*) FILTER (WHERE status = 2), count(*) FILTER (WHERE status = 3),
                COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - created_at)) FILTER (WHERE status = 2), 0),
                COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM finished_at - created_at)) FILTER (WHERE status = 2), 0),
                COALESCE(sum(price_credits) FILTER (WHERE status = 2), 0)::bigint,
                COALESCE(sum(provider_cost_kopecks), 0)::bigint
            FROM generation.assistant_turns WHERE created_at >= @since
            HAVING count(*) > 0
            ORDER BY 1
            """))
        {
            command.Parameters.AddWithValue("since", since);
            command.Parameters.AddWithValue("assistant", AssistantTurn.StatsSlug);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var stats = new ModelStats
                {
                    ModelSlug = reader.GetString(0),
                    Jobs = reader.GetInt64(1),
                    Succeeded = reader.GetInt64(2),
                    Failed = reader.GetInt64(3),
                    P50Seconds = reader.GetDouble(4),
                    P95Seconds = reader.GetDouble(5),
                    RevenueCredits = reader.GetInt64(6),
                    ProviderCostKopecks = reader.GetInt64(7),
                };
                var finished = stats.Succeeded + stats.Failed;
                stats.FailureRate = finished == 0 ? 0 : (double)stats.Failed / finished;
                stats.MarginKopecks = (stats.RevenueCredits * 100) - stats.ProviderCostKopecks; // 1 credit = 1 ₽.
                models[stats.ModelSlug] = stats;
            }
        }

        await using (var command = sql.Command("""
            SELECT model_slug, failure_class, count(*) FROM generation.jobs
            WHERE created_at >= @since AND status = 4 GROUP BY model_slug, failure_class ORDER BY model_slug, failure_class
            """))
        {
            command.Parameters.AddWithValue("since", since);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (models.TryGetValue(reader.GetString(0), out var stats))
                {
                    stats.Failures.Add(new FailureCount { FailureClass = (FailureClass)reader.GetInt32(1), Count = reader.GetInt64(2) });
                }
            }
        }

        var response = new GetGenerationStatsResponse();
        response.Models.AddRange(models.Values);
        // Jobs in flight, whenever created; the partial index ix_jobs_due covers exactly these rows.
        await using (var command = sql.Command(
            "SELECT count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 2) FROM generation.jobs WHERE status IN (1, 2)"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            response.Queued = reader.GetInt64(0);
            response.Running = reader.GetInt64(1);
        }

        return response;
    }
}
