using Ardalis.Result;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Inputs;
using NanoBanana.Testing;
using Xunit;
using static NanoBanana.Generation.Tests.GenerationHarness;

namespace NanoBanana.Generation.Tests;

public sealed class HarnessFixture : IAsyncLifetime
{
    public GenerationHarness Harness { get; private set; } = null!;

    // Generous: on a loaded machine a job may wait in the queue for seconds, and only the hang case may time out.
    public async Task InitializeAsync() =>
        Harness = await GenerationHarness.StartAsync(
            await TestPostgres.CreateDatabaseAsync("gen"),
            new Dictionary<string, string?> { ["Generation:ImageDeadline"] = "00:01:00" });

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>Jobs end to end through the Sandbox on the real Host: queue, worker, media store, Billing holds, outbox events.</summary>
public sealed class GenerationJobTests(HarnessFixture fixture) : IClassFixture<HarnessFixture>
{
    private GenerationHarness H => fixture.Harness;

    public static TheoryData<string, GenerationKind, int, long> Kinds => new()
    {
        { "nano-banana", GenerationKind.TextToImage, 0, 10 },
        { "nano-banana-pro", GenerationKind.ImageToImage, 2, 30 },
        { "veo-3-1-fast", GenerationKind.TextToVideo, 0, 80 },
        { "veo-3-1-fast", GenerationKind.ImageToVideo, 1, 80 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_kind_runs_through_the_sandbox_and_is_charged_once(string model, GenerationKind kind, int references, long price)
    {
        var user = await H.FundedUserAsync(1000);
        var images = Enumerable.Range(0, references).Select(_ => InputAndSandboxTests.Png(64, 64)).ToArray();
        var outcome = await H.StartAsync(user, Spec(model, kind, "  a lighthouse at dusk  ", images));
        Assert.Equal(price, outcome.Job.PriceCredits);
        Assert.Equal("a lighthouse at dusk", outcome.Job.Prompt);

        var job = await H.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var media = Assert.Single(job.Media);
        var content = (await H.SendAsync(new GetMediaContentRequest { MediaId = media.Id })).Value.Content.ToByteArray();
        Assert.Equal(media.SizeBytes, content.Length);
        if (kind is GenerationKind.TextToVideo or GenerationKind.ImageToVideo)
        {
            Assert.Equal("video/mp4", media.MimeType);
            Assert.Equal(4, media.DurationSeconds);
            Assert.Equal("ftyp"u8.ToArray(), content.AsSpan(4, 4).ToArray());
        }
        else
        {
            Assert.Equal(new ImageInfo("image/png", media.Width, media.Height), ImageInspector.Inspect(content));
        }

        var balance = await H.BalanceAsync(user);
        Assert.Equal(1000 - price, balance.Available);
        Assert.Equal(0, balance.Reserved);
        var succeeded = Assert.Single(await H.EventsAsync<GenerationSucceeded>(job.Id));
        Assert.Equal(media.Id, Assert.Single(succeeded.Media).Id);
        Assert.Equal(price, succeeded.CostCredits);
        Assert.Contains(await H.EventsAsync<GenerationStatusChanged>(job.Id), e => e.Status == JobStatus.Queued && e.QueuePosition >= 1);
    }

    [Theory]
    [InlineData("[sandbox:safety]", FailureClass.Safety, "safety")]
    [InlineData("[sandbox:empty]", FailureClass.Empty, "no image")]
    [InlineData("[sandbox:invalid]", FailureClass.InvalidInput, "input")]
    [InlineData("[sandbox:quota]", FailureClass.Quota, "limits")]
    [InlineData("[sandbox:outage]", FailureClass.Transient, "unavailable")]
    public async Task Every_failure_class_refunds_with_a_specific_reason(string marker, FailureClass expected, string reasonWords) =>
        await AssertFailsAndRefundsAsync(H, marker, expected, reasonWords);

    internal static async Task AssertFailsAndRefundsAsync(GenerationHarness h, string marker, FailureClass expected, string reasonWords)
    {
        var user = await h.FundedUserAsync(100);
        var outcome = await h.StartAsync(user, Spec("nano-banana-pro", GenerationKind.TextToImage, $"a cat {marker}"));

        var job = await h.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(expected, job.FailureClass);
        Assert.Contains(reasonWords, job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains("30 credits are back", job.FailureReason.En, StringComparison.Ordinal);
        Assert.Contains("30 кр.", job.FailureReason.Ru, StringComparison.Ordinal);
        switch (expected)
        {
            case FailureClass.Transient:
                Assert.Equal(3, job.Attempts);
                break;
            case FailureClass.Timeout:
                // Never retried; on a busy machine the deadline may even pass before the first attempt starts.
                Assert.InRange(job.Attempts, 0, 1);
                break;
            default:
                Assert.Equal(1, job.Attempts);
                break;
        }

        var balance = await h.BalanceAsync(user);
        Assert.Equal((100L, 0L), (balance.Available, balance.Reserved));
        var failed = Assert.Single(await h.EventsAsync<GenerationFailed>(job.Id));
        Assert.Equal(30, failed.RefundedCredits);
        Assert.Equal(expected, failed.FailureClass);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_charged_once()
    {
        var user = await H.FundedUserAsync(100);
        var outcome = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "a dog [sandbox:flaky]"));

        var job = await H.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(90, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Twenty_concurrent_identical_starts_make_one_job_and_one_hold()
    {
        var user = await H.FundedUserAsync(100);
        var spec = Spec("nano-banana", GenerationKind.TextToImage, "a teapot [sandbox:slow=2]");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => H.StartAsync(user, spec, "double-tap-1")));

        Assert.Single(outcomes.Select(o => o.Job.Id).Distinct());
        Assert.Equal(19, outcomes.Count(o => o.Duplicate));
        Assert.Equal(1L, await H.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE user_id = @u", ("u", user)));
        var balance = await H.BalanceAsync(user);
        Assert.Equal((90L, 10L), (balance.Available, balance.Reserved));
        await H.WaitSettledAsync(outcomes[0].Job.Id);
        Assert.Equal((90L, 0L), ((await H.BalanceAsync(user)).Available, (await H.BalanceAsync(user)).Reserved));
    }

    [Fact]
    public async Task A_third_active_job_is_refused_with_the_limit_and_nothing_is_held()
    {
        var user = await H.FundedUserAsync(100);
        var first = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "one [sandbox:slow=3]"));
        var second = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "two [sandbox:slow=3]"));

        var third = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "three"));

        Assert.True(third.ActiveLimitReached);
        Assert.Equal(2, third.ActiveLimit);
        Assert.Null(third.Job);
        Assert.Equal(20, (await H.BalanceAsync(user)).Reserved);
        await H.WaitSettledAsync(first.Job.Id);
        await H.WaitSettledAsync(second.Job.Id);
    }

    [Fact]
    public async Task A_user_without_enough_credits_gets_the_shortfall_and_no_job()
    {
        var user = await H.FundedUserAsync(50);

        var outcome = await H.StartAsync(user, Spec("veo-3-1-fast", GenerationKind.TextToVideo, "a storm"));

        Assert.True(outcome.InsufficientFunds);
        Assert.Equal(30, outcome.Shortfall);
        Assert.Null(outcome.Job);
        Assert.Equal(0L, await H.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE user_id = @u", ("u", user)));
    }

    [Fact]
    public async Task Cancelling_a_running_job_discards_the_result_and_refunds()
    {
        var user = await H.FundedUserAsync(100);
        var outcome = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "a slow painting [sandbox:slow=2]"));
        await H.WaitStatusAsync(outcome.Job.Id, JobStatus.Running);

        var cancelled = await H.SendAsync(new CancelGenerationRequest { JobId = outcome.Job.Id }, Principal.ForUser(user));
        Assert.True(cancelled.Value.Job.CancelRequested);
        var job = await H.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Empty(job.Media);
        Assert.Equal((100L, 0L), ((await H.BalanceAsync(user)).Available, (await H.BalanceAsync(user)).Reserved));
    }

    [Fact]
    public async Task History_pages_newest_first_and_only_the_owner_sees_a_job()
    {
        var user = await H.FundedUserAsync(100);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var outcome = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, $"picture {i}"));
            ids.Add(outcome.Job.Id);
            await H.WaitSettledAsync(outcome.Job.Id);
        }

        var first = (await H.SendAsync(new ListMyGenerationsRequest { PageSize = 2 }, Principal.ForUser(user))).Value;
        var second = (await H.SendAsync(new ListMyGenerationsRequest { PageSize = 2, Cursor = first.NextCursor }, Principal.ForUser(user))).Value;

        Assert.Equal([ids[2], ids[1]], first.Jobs.Select(j => j.Id));
        Assert.Equal([ids[0]], second.Jobs.Select(j => j.Id));
        Assert.Empty(second.NextCursor);
        Assert.Equal(ResultStatus.NotFound, (await H.SendAsync(new GetGenerationRequest { JobId = ids[0] }, Principal.ForUser(user + 1))).Status);
        Assert.Equal(ResultStatus.Unauthorized, (await H.SendAsync(new ListMyGenerationsRequest(), Principal.Anonymous)).Status);
        Assert.Equal(ResultStatus.Invalid, (await H.SendAsync(new ListMyGenerationsRequest { Cursor = "bm9wZQ==" }, Principal.ForUser(user))).Status);
    }

    [Fact]
    public async Task WatchJob_streams_until_the_job_is_done()
    {
        var user = await H.FundedUserAsync(100);
        var outcome = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "a kite [sandbox:slow=3]"));
        var stream = await H.Host.StreamAsync(Principal.ForUser(user), new WatchJobRequest { JobId = outcome.Job.Id });
        var seen = new List<JobStatus>();
        await foreach (var update in stream.Value)
        {
            seen.Add(update.Job.Status);
        }

        Assert.Equal(JobStatus.Succeeded, seen[^1]);
        Assert.True(seen.Count >= 2);
    }

    [Fact]
    public async Task Quote_prices_by_duration_and_normalizes_defaults()
    {
        var quote = await H.SendAsync(new QuoteGenerationRequest { Spec = new GenerationSpec { ModelSlug = "veo-3-1", Kind = GenerationKind.TextToVideo, Prompt = "x", DurationSeconds = 6 } });

        Assert.Equal(300, quote.Value.PriceCredits);
        Assert.Equal(("16:9", "720p"), (quote.Value.Spec.AspectRatio, quote.Value.Spec.Resolution));
    }

    [Theory]
    [InlineData("", "nano-banana", GenerationKind.TextToImage, 0, "", "spec.prompt")]
    [InlineData("x", "no-such-model", GenerationKind.TextToImage, 0, "", "spec.model_slug")]
    [InlineData("x", "imagen-4", GenerationKind.ImageToImage, 1, "", "spec.kind")]
    [InlineData("x", "veo-3-1-fast", GenerationKind.TextToVideo, 0, "5s", "spec.duration_seconds")]
    [InlineData("x", "veo-3-1-fast", GenerationKind.TextToVideo, 0, "1:1", "spec.aspect_ratio")]
    [InlineData("x", "nano-banana", GenerationKind.TextToImage, 1, "", "spec.reference_images")]
    [InlineData("x", "nano-banana", GenerationKind.ImageToImage, 0, "", "spec.reference_images")]
    [InlineData("x", "nano-banana", GenerationKind.ImageToImage, 4, "", "spec.reference_images")]
    public async Task Bad_requests_are_invalid_with_the_field(string prompt, string model, GenerationKind kind, int references, string variant, string field)
    {
        var spec = Spec(model, kind, prompt, Enumerable.Range(0, references).Select(_ => InputAndSandboxTests.Png(32, 32)).ToArray());
        if (variant == "5s")
        {
            spec.DurationSeconds = 5;
        }
        else if (variant.Length > 0)
        {
            spec.AspectRatio = variant;
        }

        var result = await H.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = "bad" }, Principal.ForUser(1));

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == field);
    }

    [Fact]
    public async Task References_are_checked_by_content_size_and_dimensions()
    {
        var spec = Spec("nano-banana-pro", GenerationKind.ImageToImage, "remix",
            "GIF89a not accepted even if called photo.png"u8.ToArray(),
            InputAndSandboxTests.Png(8, 8),
            new byte[(10 * 1024 * 1024) + 1]);

        var result = await H.SendAsync(new QuoteGenerationRequest { Spec = spec });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "spec.reference_images[0].data" && e.ErrorMessage.Contains("JPEG, PNG or WebP", StringComparison.Ordinal));
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "spec.reference_images[1].data" && e.ErrorMessage.Contains("16 to 8192", StringComparison.Ordinal));
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "spec.reference_images[2].data" && e.ErrorMessage.Contains("10 MB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_report_counts_failures_and_margin_per_model()
    {
        var user = await H.FundedUserAsync(100);
        await H.WaitSettledAsync((await H.StartAsync(user, Spec("imagen-4", GenerationKind.TextToImage, "a mountain"))).Job.Id);
        await H.WaitSettledAsync((await H.StartAsync(user, Spec("imagen-4", GenerationKind.TextToImage, "x [sandbox:safety]"))).Job.Id);

        var stats = (await H.SendAsync(new GetGenerationStatsRequest())).Value.Models.Single(m => m.ModelSlug == "imagen-4");

        Assert.True(stats.Succeeded >= 1 && stats.Failed >= 1);
        Assert.Contains(stats.Failures, f => f.FailureClass == FailureClass.Safety);
        Assert.Equal((stats.RevenueCredits * 100) - stats.ProviderCostKopecks, stats.MarginKopecks);
    }

    [Fact]
    public async Task Stats_count_a_running_job_in_flight()
    {
        var user = await H.FundedUserAsync(100);
        var outcome = await H.StartAsync(user, Spec("nano-banana", GenerationKind.TextToImage, "a lighthouse [sandbox:slow=3]"));
        await H.WaitStatusAsync(outcome.Job.Id, JobStatus.Running);

        var during = (await H.SendAsync(new GetGenerationStatsRequest())).Value;
        await H.WaitSettledAsync(outcome.Job.Id);

        Assert.True(during.Running >= 1, $"running {during.Running}");
    }
}
