using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>Models whose provider stopped listing their id; one row per model, so each loss is alerted once (ADR 0130).</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261202000001_UnlistedModels")]
internal sealed class UnlistedModels : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            CREATE TABLE generation.unlisted_models (
                model_slug text PRIMARY KEY,
                provider_model_id text NOT NULL,
                engine integer NOT NULL,
                detected_at timestamptz NOT NULL
            );
            """);
}
