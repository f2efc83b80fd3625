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
/// The video tools' output resolution per plan (ADR 0142): seeded FREE 1280 (720p), PRO and CREATOR 1920 (1080p);
/// UpsertPlan takes 0 or an even side from 480 to 3840; the seeding migration keeps an operator's FREE terms.
/// </summary>
public sealed class PlanVideoToolsSideTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Result<T>> SendAsync<T>(BuildingBlocks.Mediation.IUseCase<T> request)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    private async Task<Plan> PlanAsync(string id) => (await SendAsync(new GetPlanRequest { Id = id })).Value.Plan;

    [Fact]
    public async Task The_seeded_plans_render_free_at_720p_and_the_paid_plans_at_1080p_in_the_public_list()
    {
        var plans = (await SendAsync(new ListPlansRequest())).Value.Plans.ToDictionary(p => p.Id, p => p.VideoToolsMaxSide);

        Assert.Equal(1280, plans[PlanIds.Free]);
        Assert.Equal(1920, plans["pro"]);
        Assert.Equal(1920, plans["creator"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(480)]
    [InlineData(1280)]
    [InlineData(3840)]
    public async Task UpsertPlan_accepts_the_tools_default_or_an_even_side_in_range(int side)
    {
        var plan = await PlanAsync("creator");
        plan.VideoToolsMaxSide = side;

        var upserted = await SendAsync(new UpsertPlanRequest { Plan = plan });

        Assert.True(upserted.IsSuccess, upserted.ToString());
        Assert.Equal(side, (await PlanAsync("creator")).VideoToolsMaxSide);
        plan.VideoToolsMaxSide = 1920; // The class's other tests read the seeded value.
        Assert.True((await SendAsync(new UpsertPlanRequest { Plan = plan })).IsSuccess);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(478)]
    [InlineData(1281)]
    [InlineData(3842)]
    public async Task UpsertPlan_refuses_an_odd_or_out_of_range_side_with_the_field_named_and_nothing_changed(int side)
    {
        var plan = await PlanAsync("pro");
        plan.VideoToolsMaxSide = side;

        var refused = await SendAsync(new UpsertPlanRequest { Plan = plan });

        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.Contains(refused.ValidationErrors, e => e.Identifier == "plan.video_tools_max_side");
        Assert.Equal(1920, (await PlanAsync("pro")).VideoToolsMaxSide);
    }

    [Theory]
    [InlineData("max_video_tools_seconds = 300", 0)]
    [InlineData("watermark = false", 0)]
    [InlineData("monthly_credits = 3", 1280)]
    public async Task The_migration_gives_free_720p_only_while_its_video_terms_are_the_seeded_ones(string operatorEdit, int expectedSide)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("vt_side_mig");
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
            await using var edit = new NpgsqlCommand($"UPDATE catalog.plans SET {operatorEdit} WHERE id = 'free'", connection);
            await edit.ExecuteNonQueryAsync();
        }

        await migrator.MigrateAsync();

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT video_tools_max_side FROM catalog.plans WHERE id = 'free'", check);
        Assert.Equal(expectedSide, (int)(await read.ExecuteScalarAsync())!);
    }
}
