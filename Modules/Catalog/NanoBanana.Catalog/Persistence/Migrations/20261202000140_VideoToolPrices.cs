using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Video-tool prices per started minute (1 credit = 1 ₽): subtitles 5, translation 3, voice-over 10,
/// burned captions 3, vertical 9:16 3. Costs: Gemini audio input and TTS output at ≈ 90 ₽/$ plus encode time.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261202000140_VideoToolPrices")]
internal sealed class VideoToolPrices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE catalog.video_tool_prices (
                tool integer PRIMARY KEY,
                credits_per_minute bigint NOT NULL CHECK (credits_per_minute >= 0),
                provider_cost_kopecks_per_minute bigint NOT NULL CHECK (provider_cost_kopecks_per_minute >= 0),
                updated_at timestamptz NOT NULL
            );
            INSERT INTO catalog.video_tool_prices (tool, credits_per_minute, provider_cost_kopecks_per_minute, updated_at) VALUES
                (1, 5, 60, now()), (2, 3, 10, now()), (3, 10, 140, now()), (4, 3, 30, now()), (5, 3, 30, now())
            ON CONFLICT DO NOTHING;
            """);
    }
}
