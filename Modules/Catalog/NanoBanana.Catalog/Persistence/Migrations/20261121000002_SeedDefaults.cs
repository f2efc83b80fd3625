using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>The launch catalog (1 credit = 1 ₽). Seeded once; later edits go through the internal RPCs.</summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261121000002_SeedDefaults")]
internal sealed class SeedDefaults : Migration
{
    private const string GeminiAspectRatios = """["1:1","2:3","3:2","3:4","4:3","4:5","5:4","9:16","16:9","21:9"]""";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($$"""
            INSERT INTO catalog.models (slug, name_ru, name_en, description_ru, description_en, kind, provider, provider_model_id,
                price_credits, provider_cost_kopecks, duration_prices, capabilities, active, sort_order, updated_at) VALUES
            ('nano-banana', 'Nano Banana', 'Nano Banana',
             'Быстрая генерация и редактирование изображений от Google. До 3 фото-референсов.',
             'Fast image generation and editing by Google. Up to 3 reference photos.',
             1, 1, 'gemini-2.5-flash-image', 10, 350, '[]',
             '{"TextToImage":true,"ImageToImage":true,"MaxReferenceImages":3,"TextToVideo":false,"ImageToVideo":false,"AspectRatios":{{GeminiAspectRatios}},"DurationsSeconds":[],"Resolutions":["1K"],"Audio":false}',
             true, 10, now()),
            ('nano-banana-pro', 'Nano Banana Pro', 'Nano Banana Pro',
             'Самая умная модель Google для изображений: точный текст на картинке, до 4K, до 4 фото-референсов.',
             'Google''s most capable image model: accurate text rendering, up to 4K, up to 4 reference photos.',
             1, 1, 'gemini-3-pro-image-preview', 30, 1200, '[]',
             '{"TextToImage":true,"ImageToImage":true,"MaxReferenceImages":4,"TextToVideo":false,"ImageToVideo":false,"AspectRatios":{{GeminiAspectRatios}},"DurationsSeconds":[],"Resolutions":["1K","2K","4K"],"Audio":false}',
             true, 20, now()),
            ('imagen-4', 'Imagen 4', 'Imagen 4',
             'Фотореалистичные изображения по текстовому описанию.',
             'Photorealistic images from a text description.',
             1, 2, 'imagen-4.0-generate-001', 15, 350, '[]',
             '{"TextToImage":true,"ImageToImage":false,"MaxReferenceImages":0,"TextToVideo":false,"ImageToVideo":false,"AspectRatios":["1:1","3:4","4:3","9:16","16:9"],"DurationsSeconds":[],"Resolutions":["1K"],"Audio":false}',
             true, 30, now()),
            ('veo-3-1-fast', 'Veo 3.1 Fast', 'Veo 3.1 Fast',
             'Быстрое видео со звуком из текста или из картинки, 720p/1080p, 4–8 секунд.',
             'Fast video with sound from text or an image, 720p/1080p, 4–8 seconds.',
             2, 2, 'veo-3.1-fast-generate-001', 0, 0,
             '[{"Seconds":4,"Credits":80,"ProviderCostKopecks":5400},{"Seconds":6,"Credits":120,"ProviderCostKopecks":8100},{"Seconds":8,"Credits":150,"ProviderCostKopecks":10800}]',
             '{"TextToImage":false,"ImageToImage":false,"MaxReferenceImages":1,"TextToVideo":true,"ImageToVideo":true,"AspectRatios":["16:9","9:16"],"DurationsSeconds":[4,6,8],"Resolutions":["720p","1080p"],"Audio":true}',
             true, 40, now()),
            ('veo-3-1', 'Veo 3.1', 'Veo 3.1',
             'Лучшее качество видео от Google: кинематографичные сцены со звуком, 4–8 секунд.',
             'Google''s best video quality: cinematic scenes with sound, 4–8 seconds.',
             2, 2, 'veo-3.1-generate-001', 0, 0,
             '[{"Seconds":4,"Credits":200,"ProviderCostKopecks":14400},{"Seconds":6,"Credits":300,"ProviderCostKopecks":21600},{"Seconds":8,"Credits":400,"ProviderCostKopecks":28800}]',
             '{"TextToImage":false,"ImageToImage":false,"MaxReferenceImages":1,"TextToVideo":true,"ImageToVideo":true,"AspectRatios":["16:9","9:16"],"DurationsSeconds":[4,6,8],"Resolutions":["720p","1080p"],"Audio":true}',
             true, 50, now());

            INSERT INTO catalog.packages (id, title_ru, title_en, credits, bonus_credits, price_rub_kopecks, price_stars, active, sort_order, updated_at) VALUES
            ('pack-100', '100 кредитов', '100 credits', 100, 0, 10000, 90, true, 10, now()),
            ('pack-200', '200 кредитов + 10 бонусных', '200 credits + 10 bonus', 200, 10, 20000, 180, true, 20, now()),
            ('pack-300', '300 кредитов + 30 бонусных', '300 credits + 30 bonus', 300, 30, 30000, 270, true, 30, now());
            """);
    }
}
