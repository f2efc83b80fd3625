using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.Catalog.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Catalog.Tests;

/// <summary>
/// The migration to current provider ids runs on a catalog an operator has already edited: seeded values move,
/// edited ones stay exactly as the operator left them.
/// </summary>
public sealed class CurrentModelsMigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Seeded_defaults_move_to_current_ids_while_operator_edits_are_kept()
    {
        await using var context = new CatalogDbContext(new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", CatalogDbContext.Schema))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options);
        await context.Database.ExecuteSqlRawAsync("CREATE SCHEMA IF NOT EXISTS catalog");
        var migrator = context.GetService<IMigrator>();
        await migrator.MigrateAsync("20261121000002_SeedDefaults");

        // The operator pinned Nano Banana to a model of their choice and repriced Veo 3.1 Fast before the upgrade.
        await ExecuteAsync(database.ConnectionString, """
            UPDATE catalog.models SET provider_model_id = 'my-own-image-model' WHERE slug = 'nano-banana';
            UPDATE catalog.models SET duration_prices = '[{"Seconds":4,"Credits":90,"ProviderCostKopecks":5400},{"Seconds":6,"Credits":130,"ProviderCostKopecks":8100},{"Seconds":8,"Credits":170,"ProviderCostKopecks":10800}]'
             WHERE slug = 'veo-3-1-fast';
            """);

        await migrator.MigrateAsync();

        var rows = await ReadAsync(database.ConnectionString);
        Assert.Equal("my-own-image-model", rows["nano-banana"].ProviderModelId);
        Assert.Equal("gemini-3-pro-image", rows["nano-banana-pro"].ProviderModelId);
        Assert.Contains("\"4K\"", rows["nano-banana-pro"].ResolutionPrices, StringComparison.Ordinal);
        Assert.Equal("gemini-nano-banana-2.1", rows["nano-banana-2"].ProviderModelId);

        // Untouched Veo 3.1 went per second per resolution; the repriced Fast kept its per-clip prices and no per-second ones.
        Assert.Equal("[]", rows["veo-3-1"].DurationPrices);
        Assert.Contains("\"1080p\"", rows["veo-3-1"].ResolutionPrices, StringComparison.Ordinal);
        Assert.Contains("\"Credits\": 170", rows["veo-3-1-fast"].DurationPrices, StringComparison.Ordinal);
        Assert.Equal("[]", rows["veo-3-1-fast"].ResolutionPrices);
        Assert.DoesNotContain("4k", rows["veo-3-1-fast"].Capabilities, StringComparison.Ordinal);
        Assert.Equal("Fast video with sound from text or an image, 720p/1080p, 4–8 seconds.", rows["veo-3-1-fast"].DescriptionEn); // Still true of its sizes.
    }

    [Fact]
    public async Task An_operators_own_nano_banana_2_is_not_overwritten()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("mig");
        await using var context = new CatalogDbContext(new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", CatalogDbContext.Schema))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options);
        await context.Database.ExecuteSqlRawAsync("CREATE SCHEMA IF NOT EXISTS catalog");
        var migrator = context.GetService<IMigrator>();
        await migrator.MigrateAsync("20261121000002_SeedDefaults");
        await ExecuteAsync(connectionString, """
            INSERT INTO catalog.models SELECT 'nano-banana-2', name_ru, name_en, description_ru, description_en, kind, provider,
                'operator-choice', price_credits, provider_cost_kopecks, duration_prices, capabilities, false, 99, now()
            FROM catalog.models WHERE slug = 'nano-banana';
            """);

        await migrator.MigrateAsync();

        var rows = await ReadAsync(connectionString);
        Assert.Equal("operator-choice", rows["nano-banana-2"].ProviderModelId);
        // Untouched Veo 3.1 Fast now offers 4k, and its description says so.
        Assert.Equal("Fast video with sound from text or an image: 720p, 1080p or 4k, 4–8 seconds.", rows["veo-3-1-fast"].DescriptionEn);
    }

    private sealed record Row(string ProviderModelId, string DurationPrices, string ResolutionPrices, string Capabilities, string DescriptionEn);

    // Npgsql directly: EF's raw SQL would read the JSON braces as format placeholders.
    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<string, Row>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT slug, provider_model_id, duration_prices::text, resolution_prices::text, capabilities::text, description_en FROM catalog.models", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, Row>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new Row(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5));
        }

        return rows;
    }
}
