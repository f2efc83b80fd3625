using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Generation.Persistence.Migrations;

/// <summary>
/// A video-tools job keeps the longest output side of the plan it started under (ADR 0142). Jobs started before
/// render as they always did: 1920 (a 9:16 reframe is 1080×1920).
/// </summary>
[DbContext(typeof(GenerationDbContext))]
[Migration("20261207000144_VideoToolsMaxSide")]
internal sealed class VideoToolsMaxSide : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE generation.video_tool_jobs ADD COLUMN max_output_side integer NOT NULL DEFAULT 1920 CHECK (max_output_side > 0);");
}
