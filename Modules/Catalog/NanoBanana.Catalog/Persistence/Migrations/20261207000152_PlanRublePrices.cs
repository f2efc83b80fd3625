using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// A rouble price per plan period for card payers (ADR 0152): AutoSub's PRO 299 ₽ and CREATOR 599 ₽. The column
/// is new, so no operator edit can be overwritten; only the seeded plans get a price, others stay Stars only.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261207000152_PlanRublePrices")]
internal sealed class PlanRublePrices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE catalog.plans ADD COLUMN price_rub_kopecks bigint NOT NULL DEFAULT 0 CHECK (price_rub_kopecks >= 0);
            UPDATE catalog.plans SET price_rub_kopecks = 29900 WHERE id = 'pro';
            UPDATE catalog.plans SET price_rub_kopecks = 59900 WHERE id = 'creator';
            """);
    }
}
