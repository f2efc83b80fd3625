using Ardalis.Result;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Catalog.Persistence;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Catalog.Tests;

/// <summary>
/// Plan credits in the catalog (ADR 0161): a paid plan may drop rollover, the free plan's monthly credits are its
/// allowance (seeded 10, never rolling over), and the seeding migration keeps an operator's edit.
/// </summary>
public sealed class PlanCreditsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Result<T>> SendAsync<T>(BuildingBlocks.Mediation.IUseCase<T> request)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    [Fact]
    public async Task The_free_plan_carries_a_monthly_allowance_of_10_credits_that_does_not_roll_over()
    {
        var free = (await SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan;

        Assert.Equal(10, free.MonthlyCredits);
        Assert.False(free.CreditsRollover);
    }

    [Fact]
    public async Task A_paid_plan_without_rollover_is_accepted_and_the_allowance_is_admin_editable()
    {
        var pro = (await SendAsync(new GetPlanRequest { Id = "pro" })).Value.Plan;
        pro.CreditsRollover = false;
        var free = (await SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan;
        free.MonthlyCredits = 25;

        var upsertedPro = await SendAsync(new UpsertPlanRequest { Plan = pro });
        var upsertedFree = await SendAsync(new UpsertPlanRequest { Plan = free });

        Assert.True(upsertedPro.IsSuccess, upsertedPro.ToString());
        Assert.False((await SendAsync(new GetPlanRequest { Id = "pro" })).Value.Plan.CreditsRollover);
        Assert.True(upsertedFree.IsSuccess, upsertedFree.ToString());
        Assert.Equal(25, (await SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan.MonthlyCredits);
        free.MonthlyCredits = 10; // The class's other tests read the seeded allowance.
        Assert.True((await SendAsync(new UpsertPlanRequest { Plan = free })).IsSuccess);
    }

    [Fact]
    public async Task A_free_allowance_that_rolls_over_is_refused_with_the_field_named()
    {
        var free = (await SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan;
        free.CreditsRollover = true;

        var refused = await SendAsync(new UpsertPlanRequest { Plan = free });

        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.Contains(refused.ValidationErrors, e => e.Identifier == "plan.credits_rollover");
        Assert.False((await SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan.CreditsRollover);
    }

    [Fact]
    public async Task The_allowance_migration_keeps_an_operators_edit_of_the_free_plan()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("allowance_mig");
        await using var context = new CatalogDbContext(new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", CatalogDbContext.Schema))
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options);
        await context.Database.ExecuteSqlRawAsync("CREATE SCHEMA IF NOT EXISTS catalog");
        var migrator = context.GetService<IMigrator>();
        await migrator.MigrateAsync("20261203000150_Plans");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand("UPDATE catalog.plans SET monthly_credits = 3 WHERE id = 'free'", connection);
            await edit.ExecuteNonQueryAsync();
        }

        await migrator.MigrateAsync();

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT monthly_credits FROM catalog.plans WHERE id = 'free'", check);
        Assert.Equal(3L, (long)(await read.ExecuteScalarAsync())!);
    }
}
