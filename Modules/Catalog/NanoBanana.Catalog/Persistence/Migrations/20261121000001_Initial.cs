using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

[DbContext(typeof(CatalogDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS catalog;
            CREATE TABLE catalog.models (
                slug text PRIMARY KEY,
                name_ru text NOT NULL,
                name_en text NOT NULL,
                description_ru text NOT NULL,
                description_en text NOT NULL,
                kind integer NOT NULL,
                provider integer NOT NULL,
                provider_model_id text NOT NULL,
                price_credits bigint NOT NULL,
                provider_cost_kopecks bigint NOT NULL,
                duration_prices jsonb NOT NULL DEFAULT '[]',
                capabilities jsonb NOT NULL,
                active boolean NOT NULL,
                sort_order integer NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE catalog.packages (
                id text PRIMARY KEY,
                title_ru text NOT NULL,
                title_en text NOT NULL,
                credits bigint NOT NULL,
                bonus_credits bigint NOT NULL,
                price_rub_kopecks bigint NOT NULL,
                price_stars bigint NOT NULL,
                active boolean NOT NULL,
                sort_order integer NOT NULL,
                updated_at timestamptz NOT NULL
            );
            """);
    }
}
