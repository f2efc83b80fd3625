using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>
/// What a succeeded job's hold is captured for (ADR 0160): the price, or the delivered images' part of it.
/// Jobs that succeeded before were charged their whole price.
/// </summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261207000161_ChargedCredits")]
internal sealed class ChargedCredits : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE generation.jobs ADD COLUMN charged_credits bigint NULL CHECK (charged_credits BETWEEN 0 AND price_credits);
            UPDATE generation.jobs SET charged_credits = price_credits WHERE status = 3;
            """);
}
