using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>Try-on jobs record their zone (ADR 0165); 0 (unspecified) for every other job.</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261207000166_TryOnZone")]
internal sealed class TryOnZoneColumn : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE generation.jobs ADD COLUMN try_on_zone integer NOT NULL DEFAULT 0;");
}
