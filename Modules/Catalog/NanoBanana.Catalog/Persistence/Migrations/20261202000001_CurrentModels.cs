using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Catalog.Persistence.Migrations;

/// <summary>
/// Moves the seeded models to the provider ids that still exist (external-apis-more.md §0), prices output sizes
/// (Nano Banana Pro 4K; Veo per second per resolution, 1080p/4k as 8 s clips only) and adds Nano Banana 2.
/// Every UPDATE matches the seeded value it replaces, so a field an operator has edited is left as they set it.
/// </summary>
[DbContext(typeof(CatalogDbContext))]
[Migration("20261202000001_CurrentModels")]
internal sealed class CurrentModels : Migration
{
    private const string GeminiAspectRatios = """["1:1","2:3","3:2","3:4","4:3","4:5","5:4","9:16","16:9","21:9"]""";

    private const string OldVeoCapabilities = """{"TextToImage":false,"ImageToImage":false,"MaxReferenceImages":1,"TextToVideo":true,"ImageToVideo":true,"AspectRatios":["16:9","9:16"],"DurationsSeconds":[4,6,8],"Resolutions":["720p","1080p"],"Audio":true}""";

    private const string NewVeoCapabilities = """{"TextToImage":false,"ImageToImage":false,"MaxReferenceImages":1,"TextToVideo":true,"ImageToVideo":true,"AspectRatios":["16:9","9:16"],"DurationsSeconds":[4,6,8],"Resolutions":["720p","1080p","4k"],"Audio":true}""";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($$"""
            ALTER TABLE catalog.models ADD COLUMN resolution_prices jsonb NOT NULL DEFAULT '[]';

            -- Nano Banana: gemini-2.5-flash-image was shut down on 2026-10-02; Nano Banana 2 Lite (GA) is the same shape: 1K only, the ten ratios.
            UPDATE catalog.models SET provider_model_id = 'gemini-3.1-flash-lite-image', updated_at = now()
             WHERE slug = 'nano-banana' AND provider_model_id = 'gemini-2.5-flash-image';

            -- Nano Banana Pro: the preview was shut down on 2026-06-25 for the GA id. 4K costs the provider $0.24 instead of $0.134.
            UPDATE catalog.models SET provider_model_id = 'gemini-3-pro-image', updated_at = now()
             WHERE slug = 'nano-banana-pro' AND provider_model_id = 'gemini-3-pro-image-preview';
            UPDATE catalog.models
               SET resolution_prices = '[{"Resolution":"4K","Credits":55,"ProviderCostKopecks":2200,"DurationsSeconds":[]}]', updated_at = now()
             WHERE slug = 'nano-banana-pro' AND price_credits = 30 AND provider_cost_kopecks = 1200
               AND capabilities = '{"TextToImage":true,"ImageToImage":true,"MaxReferenceImages":4,"TextToVideo":false,"ImageToVideo":false,"AspectRatios":{{GeminiAspectRatios}},"DurationsSeconds":[],"Resolutions":["1K","2K","4K"],"Audio":false}'::jsonb;

            -- Veo 3.1 / Fast keep their Vertex GA ids; per-clip prices become per second per resolution when both are still the seeded ones.
            UPDATE catalog.models
               SET duration_prices = '[]', capabilities = '{{NewVeoCapabilities}}',
                   resolution_prices = '[{"Resolution":"720p","Credits":50,"ProviderCostKopecks":3600,"DurationsSeconds":[]},{"Resolution":"1080p","Credits":50,"ProviderCostKopecks":3600,"DurationsSeconds":[8]},{"Resolution":"4k","Credits":75,"ProviderCostKopecks":5400,"DurationsSeconds":[8]}]',
                   updated_at = now()
             WHERE slug = 'veo-3-1' AND capabilities = '{{OldVeoCapabilities}}'::jsonb
               AND duration_prices = '[{"Seconds":4,"Credits":200,"ProviderCostKopecks":14400},{"Seconds":6,"Credits":300,"ProviderCostKopecks":21600},{"Seconds":8,"Credits":400,"ProviderCostKopecks":28800}]'::jsonb;
            UPDATE catalog.models
               SET duration_prices = '[]', capabilities = '{{NewVeoCapabilities}}',
                   resolution_prices = '[{"Resolution":"720p","Credits":20,"ProviderCostKopecks":1350,"DurationsSeconds":[]},{"Resolution":"1080p","Credits":20,"ProviderCostKopecks":1350,"DurationsSeconds":[8]},{"Resolution":"4k","Credits":45,"ProviderCostKopecks":3150,"DurationsSeconds":[8]}]',
                   updated_at = now()
             WHERE slug = 'veo-3-1-fast' AND capabilities = '{{OldVeoCapabilities}}'::jsonb
               AND duration_prices = '[{"Seconds":4,"Credits":80,"ProviderCostKopecks":5400},{"Seconds":6,"Credits":120,"ProviderCostKopecks":8100},{"Seconds":8,"Credits":150,"ProviderCostKopecks":10800}]'::jsonb;

            -- Nano Banana 2 (gemini-nano-banana-2.1, GA 2026-10-06): 1K/2K/4K at $0.067/$0.101/$0.151, 14 ratios. An operator's own model of that slug wins.
            INSERT INTO catalog.models (slug, name_ru, name_en, description_ru, description_en, kind, provider, provider_model_id,
                price_credits, provider_cost_kopecks, duration_prices, resolution_prices, capabilities, active, sort_order, updated_at) VALUES
            ('nano-banana-2', 'Nano Banana 2', 'Nano Banana 2',
             'Новое поколение Nano Banana: до 4K, 14 форматов кадра, до 4 фото-референсов.',
             'The new generation of Nano Banana: up to 4K, 14 aspect ratios, up to 4 reference photos.',
             1, 1, 'gemini-nano-banana-2.1', 15, 600, '[]',
             '[{"Resolution":"2K","Credits":20,"ProviderCostKopecks":910,"DurationsSeconds":[]},{"Resolution":"4K","Credits":30,"ProviderCostKopecks":1360,"DurationsSeconds":[]}]',
             '{"TextToImage":true,"ImageToImage":true,"MaxReferenceImages":4,"TextToVideo":false,"ImageToVideo":false,"AspectRatios":["1:1","2:3","3:2","3:4","4:3","4:5","5:4","9:16","16:9","21:9","1:4","4:1","1:8","8:1"],"DurationsSeconds":[],"Resolutions":["1K","2K","4K"],"Audio":false}',
             true, 15, now())
            ON CONFLICT (slug) DO NOTHING;
            """);
    }
}
