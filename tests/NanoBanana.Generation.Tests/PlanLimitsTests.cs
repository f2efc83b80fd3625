using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// The user's plan in Generation (ADR 0150, 0151): the daily job limit refuses with nothing held, and the queue
/// claims a paid plan's job before younger free ones but never before free jobs older than its head start.
/// No workers run, so the queue order is what the claim would take next.
/// </summary>
public sealed class PlanLimitsTests : IAsyncLifetime
{
    private static readonly Principal Admin = Principal.ForApiKey("plans-test", Options.V1.Role.Admin);
    private GenerationHarness _h = null!;

    public async Task InitializeAsync() => _h = await GenerationHarness.StartAsync(
        await TestPostgres.CreateDatabaseAsync("gen_plans"),
        new Dictionary<string, string?>
        {
            ["Generation:Workers"] = "0",
            ["Generation:MaxActiveJobsPerUser"] = "10",
            ["Generation:QueuePriorityStep"] = "01:00:00",
        });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static GenerationSpec Image(string prompt) => GenerationHarness.Spec("nano-banana", GenerationKind.TextToImage, prompt);

    /// <summary>Gives the user a paid plan the way Billing records a paid period (the row PaymentSucceeded writes).</summary>
    private async Task GivePlanAsync(long user, string plan) =>
        await _h.ScalarAsync<int>(
            "WITH upsert AS (INSERT INTO billing.user_plans (user_id, plan_id, expires_at, updated_at) VALUES (@user, @plan, now() + interval '1 day', now()) RETURNING 1) SELECT count(*)::int FROM upsert",
            ("user", user),
            ("plan", plan));

    private async Task<int> PositionAsync(string jobId) => (await _h.JobAsync(jobId)).QueuePosition;

    private async Task SetFreeDailyLimitAsync(int limit)
    {
        var free = (await _h.SendAsync(new GetPlanRequest { Id = PlanIds.Free })).Value.Plan;
        free.DailyJobLimit = limit;
        var upserted = await _h.SendAsync(new UpsertPlanRequest { Plan = free }, Admin);
        Assert.True(upserted.IsSuccess, upserted.ToString());
    }

    [Fact]
    public async Task The_free_plans_daily_limit_refuses_the_next_job_with_nothing_held_while_a_paid_plan_goes_on()
    {
        await SetFreeDailyLimitAsync(2);
        var free = await _h.FundedUserAsync();
        var pro = await _h.FundedUserAsync();
        await GivePlanAsync(pro, "pro");

        var first = await _h.StartAsync(free, Image("one"));
        var second = await _h.StartAsync(free, Image("two"));
        var before = await _h.BalanceAsync(free);
        var third = await _h.StartAsync(free, Image("three"));
        var after = await _h.BalanceAsync(free);
        var paid = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => _h.StartAsync(pro, Image($"pro {i}"))));

        Assert.NotNull(first.Job);
        Assert.NotNull(second.Job);
        Assert.True(third.DailyLimitReached);
        Assert.Equal(2, third.DailyLimit);
        Assert.Equal(PlanIds.Free, third.PlanId);
        Assert.Null(third.Job);
        Assert.Equal(before, after);
        Assert.Equal(2, await _h.ScalarAsync<long>("SELECT count(*) FROM billing.holds WHERE user_id = @user", ("user", free)));
        Assert.All(paid, p => Assert.NotNull(p.Job));
    }

    [Fact]
    public async Task A_repeated_request_at_the_limit_still_returns_its_own_job()
    {
        await SetFreeDailyLimitAsync(1);
        var user = await _h.FundedUserAsync();

        var first = await _h.StartAsync(user, Image("once"), requestId: "same-request");
        var repeat = await _h.StartAsync(user, Image("once"), requestId: "same-request");

        Assert.Equal(first.Job.Id, repeat.Job.Id);
        Assert.True(repeat.Duplicate);
    }

    [Fact]
    public async Task A_paid_job_is_claimed_before_younger_free_jobs_and_the_higher_plan_first()
    {
        await SetFreeDailyLimitAsync(0);
        var free = await _h.FundedUserAsync();
        var pro = await _h.FundedUserAsync();
        var creator = await _h.FundedUserAsync();
        await GivePlanAsync(pro, "pro");
        await GivePlanAsync(creator, "creator");

        var freeJob = (await _h.StartAsync(free, Image("free first"))).Job.Id;
        var proJob = (await _h.StartAsync(pro, Image("pro second"))).Job.Id;
        var creatorJob = (await _h.StartAsync(creator, Image("creator third"))).Job.Id;

        Assert.Equal(1, await PositionAsync(creatorJob));
        Assert.Equal(2, await PositionAsync(proJob));
        Assert.Equal(3, await PositionAsync(freeJob));
        var claimOrder = await _h.ScalarAsync<Guid[]>(
            "SELECT array_agg(id ORDER BY next_attempt_at) FROM generation.jobs WHERE status = 1 AND user_id = ANY(@users)",
            ("users", new[] { free, pro, creator }));
        Assert.Equal([Guid.Parse(creatorJob), Guid.Parse(proJob), Guid.Parse(freeJob)], claimOrder);
    }

    [Fact]
    public async Task A_free_job_older_than_the_paid_head_start_keeps_its_place_so_free_jobs_never_starve()
    {
        await SetFreeDailyLimitAsync(0);
        var free = await _h.FundedUserAsync();
        var pro = await _h.FundedUserAsync();
        await GivePlanAsync(pro, "pro");

        var oldFree = (await _h.StartAsync(free, Image("waiting long"))).Job.Id;
        // This free job has waited longer than PRO's head start (one step, an hour here).
        await _h.ScalarAsync<int>(
            "WITH aged AS (UPDATE generation.jobs SET next_attempt_at = next_attempt_at - interval '61 minutes' WHERE id = @id RETURNING 1) SELECT count(*)::int FROM aged",
            ("id", Guid.Parse(oldFree)));
        var proJob = (await _h.StartAsync(pro, Image("paid, later"))).Job.Id;

        Assert.True(await PositionAsync(oldFree) < await PositionAsync(proJob));
    }
}
