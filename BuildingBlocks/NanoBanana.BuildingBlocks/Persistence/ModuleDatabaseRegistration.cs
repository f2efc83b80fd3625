using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NanoBanana.BuildingBlocks.Persistence;

/// <summary>Migrates one module's schema; all of them run at start-up before the Host serves traffic.</summary>
public interface IModuleMigrator
{
    string Schema { get; }

    Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);
}

public static class ModuleDatabaseRegistration
{
    /// <summary>
    /// Registers a module's DbContext on the shared database: its own schema and its own
    /// migrations history table, so modules migrate independently and never see each other's tables. Its
    /// connections come from the Host's one <see cref="SqlSession"/> pool, registered here once for all modules.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[a-z][a-z0-9_]{0,62}$"))
        {
            throw new ArgumentException($"'{schema}' is not a plain lower-case schema name.", nameof(schema));
        }

        services.TryAddSingleton<SqlSession>();
        services.AddDbContext<TContext>((provider, options) =>
        {
            options.UseNpgsql(provider.GetRequiredService<SqlSession>().DataSource, npgsql => npgsql.MigrationsHistoryTable("__migrations", schema));
            // Migrations are hand-written SQL (the EF design package does not restore here), so no model
            // snapshot exists; the mapping is verified against the migrated schema by tests instead.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        },
        // Built once: per scope (EF's default) every request that touches a module rebuilt its options,
        // UseNpgsql included, even one whose context is never queried (the call authenticator's).
        optionsLifetime: ServiceLifetime.Singleton);
        services.AddSingleton<IModuleMigrator>(new ModuleMigrator<TContext>(schema));
        return services;
    }

    private sealed class ModuleMigrator<TContext>(string schema) : IModuleMigrator
        where TContext : DbContext
    {
        // The migrations EF would apply: the context's assembly's Migration types that name this context.
        private static readonly string[] Declared =
        [
            .. typeof(TContext).Assembly.GetTypes()
                .Where(type => type.IsSubclassOf(typeof(Migration)) && !type.IsAbstract
                    && type.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(TContext))
                .Select(type => type.GetCustomAttribute<MigrationAttribute>()?.Id)
                .OfType<string>(),
        ];

        public string Schema => schema;

        /// <summary>
        /// Most starts find every migration applied: one statement on the pool says so, and the context, its model
        /// and EF's migrator are never built for it (they stay resident once built, ADR 0245). Otherwise EF applies
        /// the missing ones as before.
        /// </summary>
        public async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            if (Declared.All((await AppliedAsync(services.GetRequiredService<SqlSession>(), cancellationToken)).Contains))
            {
                return;
            }

            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
        }

        // EF reads the history table before creating it, which fails (and logs an error) on every fresh
        // database; creating the schema and EF's standard history table first avoids that.
        private async Task<HashSet<string>> AppliedAsync(SqlSession sql, CancellationToken cancellationToken)
        {
            await using var command = sql.Command(
                "CREATE SCHEMA IF NOT EXISTS " + schema + "; " +
                "CREATE TABLE IF NOT EXISTS " + schema + ".__migrations (\"MigrationId\" character varying(150) PRIMARY KEY, \"ProductVersion\" character varying(32) NOT NULL); " +
                "SELECT \"MigrationId\" FROM " + schema + ".__migrations");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }

            return applied;
        }
    }
}
