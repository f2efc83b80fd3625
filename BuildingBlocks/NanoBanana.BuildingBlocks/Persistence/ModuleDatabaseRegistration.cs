using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NanoBanana.BuildingBlocks.Persistence;

/// <summary>Migrates one module's schema; all of them run at start-up before the Host serves traffic.</summary>
public interface IModuleMigrator
{
    string Schema { get; }

    Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);

    Task<bool> IsUpToDateAsync(IServiceProvider services, CancellationToken cancellationToken);
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
        public string Schema => schema;

        public async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            // EF reads the history table before creating it, which fails (and logs an error) on every
            // fresh database; creating the schema and EF's standard history table first avoids that.
#pragma warning disable EF1003 // An identifier cannot be a parameter; the schema is a module constant checked at registration.
            await context.Database.ExecuteSqlRawAsync(
                "CREATE SCHEMA IF NOT EXISTS " + schema + "; " +
                "CREATE TABLE IF NOT EXISTS " + schema + ".__migrations (\"MigrationId\" character varying(150) PRIMARY KEY, \"ProductVersion\" character varying(32) NOT NULL)",
                cancellationToken);
#pragma warning restore EF1003
            await context.Database.MigrateAsync(cancellationToken);
        }

        public async Task<bool> IsUpToDateAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = await context.Database.GetPendingMigrationsAsync(cancellationToken);
            return !pending.Any();
        }
    }
}
