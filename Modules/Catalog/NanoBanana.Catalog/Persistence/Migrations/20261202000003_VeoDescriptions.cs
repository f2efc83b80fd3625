using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Veo 3.1 Fast's seeded description still named 720p/1080p after CurrentModels added 4k. Changed only while the row
/// holds the seeded text and does offer 4k (a row whose prices an operator had edited kept its old sizes, and its text).
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261202000003_VeoDescriptions")]
internal sealed class VeoDescriptions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            UPDATE catalog.models
               SET description_ru = 'Быстрое видео со звуком из текста или из картинки: 720p, 1080p или 4k, 4–8 секунд.',
                   description_en = 'Fast video with sound from text or an image: 720p, 1080p or 4k, 4–8 seconds.',
                   updated_at = now()
             WHERE slug = 'veo-3-1-fast'
               AND description_ru = 'Быстрое видео со звуком из текста или из картинки, 720p/1080p, 4–8 секунд.'
               AND description_en = 'Fast video with sound from text or an image, 720p/1080p, 4–8 seconds.'
               AND capabilities -> 'Resolutions' ? '4k';
            """);
}
