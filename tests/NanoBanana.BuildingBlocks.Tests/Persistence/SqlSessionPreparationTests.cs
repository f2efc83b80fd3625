using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Persistence;

/// <summary>
/// The Host's pool prepares statements it runs often (ADR 0240); a replica keeps its prepared statements while another
/// replica migrates the schema. These pin down what such a migration does to them against real PostgreSQL.
/// </summary>
public sealed class SqlSessionPreparationTests
{
    private const string Read = "SELECT id, name FROM prep.items WHERE id = $1";

    [Fact]
    public async Task A_statement_run_twice_on_a_connection_is_prepared_there()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(0L, await rig.PreparedCountAsync());

        await rig.ReadAsync();
        await rig.ReadAsync();

        Assert.Equal(1L, await rig.PreparedCountAsync());
    }

    [Fact]
    public async Task A_migration_that_only_adds_what_a_statement_does_not_read_leaves_it_prepared_and_working()
    {
        await using var rig = await Rig.StartPreparedAsync();

        await rig.MigrateAsync("ALTER TABLE prep.items ADD COLUMN note text; CREATE INDEX items_note ON prep.items (note)");

        Assert.Equal("first", await rig.ReadAsync());
        Assert.Equal(1L, await rig.PreparedCountAsync());
    }

    [Fact]
    public async Task A_migration_that_changes_a_prepared_statements_result_fails_its_next_run_once_and_the_run_after_it_prepares_again()
    {
        await using var rig = await Rig.StartPreparedAsync();

        await rig.MigrateAsync("ALTER TABLE prep.items ALTER COLUMN name TYPE varchar(40)");

        var failure = await Assert.ThrowsAsync<PostgresException>(rig.ReadAsync);
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, failure.SqlState);   // "cached plan must not change result type"
        Assert.Equal("first", await rig.ReadAsync());
        Assert.Equal("first", await rig.ReadAsync());
    }

    private sealed class Rig(SqlSession sql, string connectionString) : IAsyncDisposable
    {
        public static async Task<Rig> StartAsync()
        {
            var connectionString = await TestPostgres.CreateDatabaseAsync("prepare");
            var rig = new Rig(new SqlSession(new DatabaseConnection(connectionString + ";Maximum Pool Size=1")), connectionString);
            await rig.MigrateAsync("CREATE SCHEMA prep; CREATE TABLE prep.items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO prep.items VALUES (1, 'first')");
            return rig;
        }

        /// <summary>Started, with <see cref="Read"/> run twice: prepared on the pool's connection.</summary>
        public static async Task<Rig> StartPreparedAsync()
        {
            var rig = await StartAsync();
            await rig.ReadAsync();
            await rig.ReadAsync();
            return rig;
        }

        /// <summary>Runs the statement on the pool's one connection, where <see cref="PreparedCountAsync"/> looks.</summary>
        public async Task<string> ReadAsync()
        {
            await using var command = sql.Command(Read, 1);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetString(1);
        }

        public async Task<long> PreparedCountAsync()
        {
            await using var command = sql.Command("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", Read);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        /// <summary>Another replica's migration: a connection outside this Host's pool.</summary>
        public async Task MigrateAsync(string ddl)
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(ddl, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync() => await sql.DisposeAsync();
    }
}
