using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;
using static NanoBanana.Generation.Tests.GenerationHarness;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// Options priced per resolution and checked against the Catalog before anything is sent: the real Gemini and
/// Vertex adapters run against the fake provider server, which records what reached it.
/// </summary>
public sealed class ModelOptionTests : IAsyncLifetime
{
    private FakeProviderServer _fake = null!;
    private GenerationHarness _harness = null!;
    private string _serviceAccountFile = string.Empty;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviderServer.StartAsync();
        _fake.PollsUntilDone = 1;
        _serviceAccountFile = Path.Combine(Path.GetTempPath(), $"nb-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_serviceAccountFile, _fake.ServiceAccountJson);
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("opt"), new Dictionary<string, string?>
        {
            ["Generation:Gemini:ApiKey"] = "gemini-key",
            ["Generation:Gemini:BaseUrl"] = _fake.BaseUrl,
            ["Generation:Vertex:ServiceAccount"] = _serviceAccountFile,
            ["Generation:Vertex:Project"] = "test-project",
            ["Generation:Vertex:BaseUrl"] = _fake.BaseUrl,
            ["Generation:Vertex:TokenUrl"] = _fake.BaseUrl + "/token",
            ["Generation:Vertex:StorageBaseUrl"] = _fake.BaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _fake.DisposeAsync();
        File.Delete(_serviceAccountFile);
    }

    private static GenerationSpec Video(string model, string prompt, string resolution, int seconds)
    {
        var spec = Spec(model, GenerationKind.TextToVideo, prompt);
        spec.Resolution = resolution;
        spec.DurationSeconds = seconds;
        return spec;
    }

    public static TheoryData<string, string, int, long> VeoCombinations => new()
    {
        // Credits per second per resolution; 0 = a combination Veo refuses (1080p and 4k are 8 s clips only).
        { "veo-3-1", "720p", 4, 200 }, { "veo-3-1", "720p", 6, 300 }, { "veo-3-1", "720p", 8, 400 },
        { "veo-3-1", "1080p", 4, 0 }, { "veo-3-1", "1080p", 6, 0 }, { "veo-3-1", "1080p", 8, 400 },
        { "veo-3-1", "4k", 4, 0 }, { "veo-3-1", "4k", 6, 0 }, { "veo-3-1", "4k", 8, 600 },
        { "veo-3-1-fast", "720p", 4, 80 }, { "veo-3-1-fast", "720p", 6, 120 }, { "veo-3-1-fast", "720p", 8, 160 },
        { "veo-3-1-fast", "1080p", 4, 0 }, { "veo-3-1-fast", "1080p", 6, 0 }, { "veo-3-1-fast", "1080p", 8, 160 },
        { "veo-3-1-fast", "4k", 4, 0 }, { "veo-3-1-fast", "4k", 6, 0 }, { "veo-3-1-fast", "4k", 8, 360 },
        { "veo-3-1-fast", "8k", 8, 0 },
    };

    [Theory]
    [MemberData(nameof(VeoCombinations))]
    public async Task Every_veo_combination_is_priced_or_refused_before_the_provider(string model, string resolution, int seconds, long expected)
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a comet {Guid.NewGuid():N}";
        var spec = Video(model, prompt, resolution, seconds);

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });
        var started = await _harness.SendAsync(new StartGenerationForUserRequest { UserId = user, Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") });

        if (expected == 0)
        {
            Assert.Equal(ResultStatus.Invalid, quote.Status);
            Assert.Equal(ResultStatus.Invalid, started.Status);
            Assert.Contains(started.ValidationErrors, e => e.Identifier is "spec.duration_seconds" or "spec.resolution");
            Assert.Equal(1000, (await _harness.BalanceAsync(user)).Available);
            await Task.Delay(300); // A refused request must not be on its way to the provider either.
            Assert.Equal(0, _fake.SubmissionsOf(prompt));
            return;
        }

        Assert.Equal(expected, quote.Value.PriceCredits);
        Assert.True(started.IsSuccess, started.Describe());
        Assert.Equal(expected, started.Value.Outcome.Job.PriceCredits);
        var job = await _harness.WaitSettledAsync(started.Value.Outcome.Job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var parameters = _fake.SubmissionBodies[prompt]["parameters"]!;
        Assert.Equal(resolution, parameters["resolution"]!.GetValue<string>());
        Assert.Equal(seconds, parameters["durationSeconds"]!.GetValue<int>());
        Assert.Equal(1000 - expected, (await _harness.BalanceAsync(user)).Available);
    }

    [Theory]
    [InlineData("1K", 30, null)]
    [InlineData("2K", 30, "2K")]
    [InlineData("4K", 55, "4K")]
    public async Task Nano_banana_pro_prices_the_output_size_and_sends_it_as_image_size(string size, long expected, string? imageSize)
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a cat {Guid.NewGuid():N}";
        var spec = Spec("nano-banana-pro", GenerationKind.TextToImage, prompt);
        spec.Resolution = size;

        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(expected, outcome.Job.PriceCredits);
        Assert.Equal(imageSize, _fake.SubmissionBodies[prompt]["generationConfig"]?["imageConfig"]?["imageSize"]?.GetValue<string>());
        Assert.Contains(_fake.Requests, r => r.Contains("/models/gemini-3-pro-image:generateContent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nano-banana", "4K")]
    [InlineData("nano-banana-2", "8K")]
    public async Task An_image_size_the_model_does_not_make_is_refused_unsent(string model, string size)
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a dog {Guid.NewGuid():N}";
        var spec = Spec(model, GenerationKind.TextToImage, prompt);
        spec.Resolution = size;

        var started = await _harness.SendAsync(new StartGenerationForUserRequest { UserId = user, Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") });

        Assert.Equal(ResultStatus.Invalid, started.Status);
        Assert.Contains(started.ValidationErrors, e => e.Identifier == "spec.resolution");
        Assert.Equal(0, _fake.SubmissionsOf(prompt));
    }

    [Fact]
    public async Task Nano_banana_2_takes_its_extra_aspect_ratios_and_prices_4k()
    {
        var spec = Spec("nano-banana-2", GenerationKind.TextToImage, "a tower");
        spec.AspectRatio = "1:8";
        spec.Resolution = "4K";

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });

        Assert.True(quote.IsSuccess, quote.Describe());
        Assert.Equal(30, quote.Value.PriceCredits);
        Assert.Equal("1:8", quote.Value.Spec.AspectRatio);
    }
}
