using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Virtual try-on (ADR 0165), one row: on, 2 credits (seed 002's price), run by Nano Banana 2
/// (gemini-nano-banana-2.1, listed by the try-on guide; $0.067 per 1K image ≈ 6 ₽). An operator's row wins.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261207000165_TryOnOffer")]
internal sealed class TryOnOfferTable : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE catalog.try_on_offer (
                id integer PRIMARY KEY CHECK (id = 1),
                enabled boolean NOT NULL,
                price_credits bigint NOT NULL CHECK (price_credits >= 1),
                provider_cost_kopecks bigint NOT NULL CHECK (provider_cost_kopecks >= 0),
                model_slug text NOT NULL,
                updated_at timestamptz NOT NULL
            );
            INSERT INTO catalog.try_on_offer (id, enabled, price_credits, provider_cost_kopecks, model_slug, updated_at)
            VALUES (1, true, 2, 600, 'nano-banana-2', now())
            ON CONFLICT DO NOTHING;
            """);
    }
}
