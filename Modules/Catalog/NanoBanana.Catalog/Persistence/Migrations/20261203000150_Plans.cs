using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Plans (ADR 0150), seeded from AutoSub's FREE / PRO 299 ₽ / CREATOR 599 ₽ at the packages' rate
/// (100 ₽ = 90 ⭐): PRO 270 ⭐ and CREATOR 540 ⭐ per 30 days, each granting a little more than the
/// package of the same price buys, plus the plan's limits and priority.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261203000150_Plans")]
internal sealed class Plans : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE catalog.plans (
                id text PRIMARY KEY,
                title_ru text NOT NULL,
                title_en text NOT NULL,
                price_stars bigint NOT NULL CHECK (price_stars BETWEEN 0 AND 10000),
                monthly_credits bigint NOT NULL CHECK (monthly_credits >= 0),
                credits_rollover boolean NOT NULL,
                daily_job_limit integer NOT NULL CHECK (daily_job_limit >= 0),
                watermark boolean NOT NULL,
                queue_priority integer NOT NULL CHECK (queue_priority >= 0),
                max_video_tools_seconds integer NOT NULL CHECK (max_video_tools_seconds >= 0),
                active boolean NOT NULL,
                sort_order integer NOT NULL,
                updated_at timestamptz NOT NULL
            );
            INSERT INTO catalog.plans (id, title_ru, title_en, price_stars, monthly_credits, credits_rollover, daily_job_limit, watermark, queue_priority, max_video_tools_seconds, active, sort_order, updated_at) VALUES
                ('free', 'FREE', 'FREE', 0, 0, true, 20, true, 0, 120, true, 10, now()),
                ('pro', 'PRO', 'PRO', 270, 350, true, 100, false, 1, 600, true, 20, now()),
                ('creator', 'CREATOR', 'CREATOR', 540, 750, true, 300, false, 2, 1800, true, 30, now())
            ON CONFLICT DO NOTHING;
            CREATE TRIGGER plans_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog.plans
                FOR EACH STATEMENT EXECUTE FUNCTION catalog.notify_changed();
            """);
    }
}
