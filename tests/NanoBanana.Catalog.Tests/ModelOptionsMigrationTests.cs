using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.Catalog.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Catalog.Tests;

/// <summary>ADR 0132's migration on a catalog an operator has edited: seeded rows get their options, edited ones keep the operator's values.</summary>
public sealed class ModelOptionsMigrationTests
{
    [Fact]
    public async Task Seeded_rows_get_their_options_while_operator_edits_are_kept()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("opts_mig");
        await using var context = new CatalogDbContext(new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", CatalogDbContext.Schema))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options);
        await context.Database.ExecuteSqlRawAsync("CREATE SCHEMA IF NOT EXISTS catalog");
        var migrator = context.GetService<IMigrator>();
        await migrator.MigrateAsync("20261202000140_VideoToolPrices");

        // The operator limited Nano Banana Pro to 2 photos and made Veo 3.1 silent before the upgrade.
        await ExecuteAsync(connectionString, """
            UPDATE catalog.models SET capabilities = jsonb_set(capabilities, '{MaxReferenceImages}', '2') WHERE slug = 'nano-banana-pro';
            UPDATE catalog.models SET capabilities = jsonb_set(capabilities, '{Audio}', 'false') WHERE slug = 'veo-3-1';
            """);

        await migrator.MigrateAsync();

        var caps = await CapabilitiesAsync(connectionString);
        Assert.Equal(2, caps["nano-banana-pro"].GetProperty("MaxReferenceImages").GetInt32());
        Assert.Equal(4, caps["imagen-4"].GetProperty("MaxImagesPerRequest").GetInt32());
        Assert.Equal(1, caps["nano-banana"].GetProperty("MaxImagesPerRequest").GetInt32());
        Assert.Equal(3, caps["nano-banana"].GetProperty("MaxReferenceImages").GetInt32());
        Assert.True(caps["veo-3-1-fast"].GetProperty("LastFrame").GetBoolean());
        Assert.Equal(3, caps["veo-3-1-fast"].GetProperty("MaxAssetReferences").GetInt32());
        Assert.Equal("[8]", caps["veo-3-1-fast"].GetProperty("AssetReferenceDurationsSeconds").GetRawText());
        Assert.False(caps["veo-3-1"].GetProperty("LastFrame").GetBoolean());
        Assert.Equal(0, caps["veo-3-1"].GetProperty("MaxAssetReferences").GetInt32());
        Assert.False(caps["veo-3-1"].GetProperty("Audio").GetBoolean());
        Assert.Equal("[]", caps["veo-3-1"].GetProperty("AssetReferenceDurationsSeconds").GetRawText());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<string, JsonElement>> CapabilitiesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT slug, capabilities::text FROM catalog.models", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, JsonElement>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = JsonDocument.Parse(reader.GetString(1)).RootElement.Clone();
        }

        return rows;
    }
}
