using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Persistence;

/// <summary>
/// A module's migrations at start against real PostgreSQL: a fresh database gets all of them, and a database that
/// lacks one (a release added it) gets that one on the next start, though every other migration is recorded.
/// </summary>
public sealed class ModuleMigratorTests
{
    [Fact]
    public async Task A_fresh_database_gets_every_migration()
    {
        await using var rig = await Rig.StartAsync();

        await rig.MigrateAsync();

        Assert.Equal(["20261121000001_Tables", "20261121000002_Notes"], await rig.AppliedAsync());
        Assert.Equal(2, await rig.CountTablesAsync());
    }

    [Fact]
    public async Task A_migration_missing_from_a_migrated_database_is_applied_on_the_next_start()
    {
        await using var rig = await Rig.StartAsync();
        await rig.MigrateAsync();
        await rig.ExecuteAsync("DROP TABLE migtest.notes; DELETE FROM migtest.__migrations WHERE \"MigrationId\" = '20261121000002_Notes'");

        await rig.MigrateAsync();

        Assert.Equal(["20261121000001_Tables", "20261121000002_Notes"], await rig.AppliedAsync());
        Assert.Equal(2, await rig.CountTablesAsync());
    }

    private sealed class Rig(ServiceProvider provider, string connectionString) : IAsyncDisposable
    {
        public static async Task<Rig> StartAsync()
        {
            var connectionString = await TestPostgres.CreateDatabaseAsync("migrator");
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(new DatabaseConnection(connectionString));
            services.AddModuleDbContext<MigratorTestContext>(MigratorTestContext.Schema);
            return new Rig(services.BuildServiceProvider(), connectionString);
        }

        public Task MigrateAsync() => provider.GetServices<IModuleMigrator>().Single().MigrateAsync(provider, CancellationToken.None);

        public async Task<List<string>> AppliedAsync()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM migtest.__migrations ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var applied = new List<string>();
            while (await reader.ReadAsync())
            {
                applied.Add(reader.GetString(0));
            }

            return applied;
        }

        public async Task<long> CountTablesAsync()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'migtest' AND table_name IN ('items', 'notes')", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}

internal sealed class MigratorTestContext(DbContextOptions<MigratorTestContext> options) : DbContext(options)
{
    public const string Schema = "migtest";
}

[DbContext(typeof(MigratorTestContext))]
[Migration("20261121000001_Tables")]
internal sealed class MigratorTestTables : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("CREATE TABLE migtest.items (id int PRIMARY KEY);");
}

[DbContext(typeof(MigratorTestContext))]
[Migration("20261121000002_Notes")]
internal sealed class MigratorTestNotes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("CREATE TABLE migtest.notes (id int PRIMARY KEY);");
}
