using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>ADR 0132: images per request, and whether an image-to-video job's last input is its last frame.</summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261203000132_JobOptions")]
internal sealed class JobOptions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE generation.jobs
                ADD COLUMN image_count integer NOT NULL DEFAULT 1 CHECK (image_count BETWEEN 1 AND 4),
                ADD COLUMN last_frame boolean NOT NULL DEFAULT false;
            """);
}
