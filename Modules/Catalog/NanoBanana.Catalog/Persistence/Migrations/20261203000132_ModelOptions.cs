using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// ADR 0132: every row gets the new capability keys at their "off" values (keys a row already has win); then the seeded
/// models get their documented options — Imagen 4 up to 4 images per request, Nano Banana Pro 14 reference images,
/// Veo 3.1 / Fast a last frame and up to 3 asset references (8 s clips only) — each only while the row still holds the
/// seeded value it replaces, so an operator's edit wins.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261203000132_ModelOptions")]
internal sealed class ModelOptions : Migration
{
    private const string VeoCapabilities = """{"TextToImage":false,"ImageToImage":false,"MaxReferenceImages":1,"TextToVideo":true,"ImageToVideo":true,"AspectRatios":["16:9","9:16"],"DurationsSeconds":[4,6,8],"Resolutions":["720p","1080p","4k"],"Audio":true,"MaxImagesPerRequest":1,"LastFrame":false,"MaxAssetReferences":0,"AssetReferenceDurationsSeconds":[]}""";

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql($$"""
            UPDATE catalog.models
               SET capabilities = '{"MaxImagesPerRequest":1,"LastFrame":false,"MaxAssetReferences":0,"AssetReferenceDurationsSeconds":[]}'::jsonb || capabilities;

            UPDATE catalog.models
               SET capabilities = jsonb_set(capabilities, '{MaxImagesPerRequest}', '4'), updated_at = now()
             WHERE slug = 'imagen-4' AND provider_model_id = 'imagen-4.0-generate-001' AND capabilities -> 'MaxImagesPerRequest' = '1';

            UPDATE catalog.models
               SET capabilities = jsonb_set(capabilities, '{MaxReferenceImages}', '14'), updated_at = now()
             WHERE slug = 'nano-banana-pro' AND provider_model_id = 'gemini-3-pro-image' AND capabilities -> 'MaxReferenceImages' = '4';
            UPDATE catalog.models
               SET description_ru = 'Самая умная модель Google для изображений: точный текст на картинке, до 4K, до 14 фото-референсов.',
                   description_en = 'Google''s most capable image model: accurate text rendering, up to 4K, up to 14 reference photos.',
                   updated_at = now()
             WHERE slug = 'nano-banana-pro' AND capabilities -> 'MaxReferenceImages' = '14'
               AND description_en = 'Google''s most capable image model: accurate text rendering, up to 4K, up to 4 reference photos.';

            UPDATE catalog.models
               SET capabilities = capabilities || '{"LastFrame":true,"MaxAssetReferences":3,"AssetReferenceDurationsSeconds":[8]}'::jsonb, updated_at = now()
             WHERE slug IN ('veo-3-1', 'veo-3-1-fast') AND capabilities = '{{VeoCapabilities}}'::jsonb;
            """);
}
