using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// The free plan's monthly allowance (ADR 0161): its monthly credits, 10 a month as seed 002 offers, never rolling
/// over. Changed only while the row still holds the seeded values (0 credits, rollover): an operator's edit wins.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261207000163_FreeAllowance")]
internal sealed class FreeAllowance : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            UPDATE catalog.plans SET monthly_credits = 10, credits_rollover = false, updated_at = now()
            WHERE id = 'free' AND monthly_credits = 0 AND credits_rollover = true;
            """);
}
