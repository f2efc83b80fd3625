using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// The video tools' output resolution per plan (ADR 0142): seed 001 sells FREE at 720p and PRO/CREATOR at 1080p.
/// The column is new (0 = the tools' default, 1920); FREE gets 1280 only while its video-tools terms still hold the
/// seeded values (120 s, watermarked), so an operator who already gave FREE other video terms keeps full size.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261207000143_VideoToolsMaxSide")]
internal sealed class VideoToolsMaxSide : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE catalog.plans ADD COLUMN video_tools_max_side integer NOT NULL DEFAULT 0
                CHECK (video_tools_max_side = 0 OR (video_tools_max_side BETWEEN 480 AND 3840 AND video_tools_max_side % 2 = 0));
            UPDATE catalog.plans SET video_tools_max_side = 1280, updated_at = now()
            WHERE id = 'free' AND max_video_tools_seconds = 120 AND watermark = true;
            UPDATE catalog.plans SET video_tools_max_side = 1920, updated_at = now() WHERE id IN ('pro', 'creator');
            """);
}
