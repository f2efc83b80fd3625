using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
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
        var started = await _harness.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") }, Principal.ForUser(user));

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

        var started = await _harness.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") }, Principal.ForUser(user));

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

    private static byte[] Photo(int side = 64) => InputAndSandboxTests.Png(side, side);

    private async Task AssertRefusedUnsentAsync(GenerationSpec spec, string field)
    {
        var user = await _harness.FundedUserAsync(1000);
        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });
        var started = await _harness.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") }, Principal.ForUser(user));

        Assert.Equal(ResultStatus.Invalid, quote.Status);
        Assert.Equal(ResultStatus.Invalid, started.Status);
        Assert.Contains(started.ValidationErrors, e => e.Identifier == field);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal(1000, balance.Available);
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(0L, await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE user_id = @u", ("u", user)));
        await Task.Delay(300); // Nor on its way to the provider.
        Assert.Equal(0, _fake.SubmissionsOf(spec.Prompt));
    }

    [Fact]
    public async Task Imagen_makes_four_images_in_one_request_priced_four_times_and_all_are_kept()
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"four lighthouses {Guid.NewGuid():N}";
        var spec = Spec("imagen-4", GenerationKind.TextToImage, prompt);
        spec.ImageCount = 4;

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });
        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(60, quote.Value.PriceCredits);
        Assert.Equal(4, quote.Value.Spec.ImageCount);
        Assert.Equal(60, outcome.Job.PriceCredits);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(4, job.ImageCount);
        Assert.Equal(4, job.Media.Count);
        Assert.Equal(1, _fake.SubmissionsOf(prompt));
        Assert.Equal(4, _fake.SubmissionBodies[prompt]["parameters"]!["sampleCount"]!.GetValue<int>());
        Assert.Equal(940, (await _harness.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Imagen_without_a_count_makes_one_image_at_the_single_price()
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"one lighthouse {Guid.NewGuid():N}";

        var outcome = await _harness.StartAsync(user, Spec("imagen-4", GenerationKind.TextToImage, prompt));
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(15, outcome.Job.PriceCredits);
        Assert.Single(job.Media);
        Assert.Equal(1, _fake.SubmissionBodies[prompt]["parameters"]!["sampleCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(1, 45)]
    [InlineData(3, 15)]
    public async Task Imagen_withholding_images_charges_the_delivered_ones_and_releases_the_rest(int withheld, long charged)
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"four lighthouses withhold {withheld} {Guid.NewGuid():N}";
        var spec = Spec("imagen-4", GenerationKind.TextToImage, prompt);
        spec.ImageCount = 4;

        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(60, outcome.Job.PriceCredits);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(4 - withheld, job.Media.Count);
        Assert.Equal(charged, job.ChargedCredits);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal((1000 - charged, 0L), (balance.Available, balance.Reserved));
        var succeeded = Assert.Single(await _harness.EventsAsync<GenerationSucceeded>(outcome.Job.Id));
        Assert.Equal((charged, 4, 60 - charged), (succeeded.CostCredits, succeeded.ImageCount, succeeded.ReleasedCredits));

        // One ledger story: the hold, the capture of the delivered part, the release of the rest.
        var hold = Guid.Parse(await _harness.ScalarAsync<string>("SELECT hold_id FROM generation.jobs WHERE id = @id", ("id", Guid.Parse(outcome.Job.Id))));
        Assert.Equal(-charged, await _harness.ScalarAsync<long>("SELECT sum(amount)::bigint FROM billing.ledger WHERE hold_id = @hold", ("hold", hold)));
        Assert.Equal(3L, await _harness.ScalarAsync<long>("SELECT count(*) FROM billing.ledger WHERE hold_id = @hold", ("hold", hold)));
        var ledger = await _harness.SendAsync(new CheckLedgerRequest());
        Assert.Empty(ledger.Value.Drifts);
    }

    [Fact]
    public async Task A_failed_four_image_request_releases_the_whole_hold()
    {
        var user = await _harness.FundedUserAsync(1000);
        var spec = Spec("imagen-4", GenerationKind.TextToImage, $"filtered {Guid.NewGuid():N}");
        spec.ImageCount = 4;

        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(60, outcome.Job.PriceCredits);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(FailureClass.Safety, job.FailureClass);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal(1000, balance.Available);
        Assert.Equal(0, balance.Reserved);
    }

    [Theory]
    [InlineData("imagen-4", 5)]
    [InlineData("nano-banana-pro", 2)]
    public async Task An_image_count_the_model_does_not_make_is_refused_unsent(string model, int count)
    {
        var spec = Spec(model, GenerationKind.TextToImage, $"too many {Guid.NewGuid():N}");
        spec.ImageCount = count;
        await AssertRefusedUnsentAsync(spec, "spec.image_count");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Veo_sends_sound_on_or_off_as_generate_audio(bool audio)
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"rain on a roof {Guid.NewGuid():N}";
        var spec = Video("veo-3-1-fast", prompt, "720p", 4);
        spec.Audio = audio;

        var job = await _harness.WaitSettledAsync((await _harness.StartAsync(user, spec)).Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(audio, job.Audio);
        Assert.Equal(audio, _fake.SubmissionBodies[prompt]["parameters"]!["generateAudio"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Veo_animates_from_a_first_to_a_last_frame()
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a flower opening {Guid.NewGuid():N}";
        var first = Photo(64);
        var last = InputAndSandboxTests.Jpeg(96, 64);
        var spec = Spec("veo-3-1", GenerationKind.ImageToVideo, prompt, first);
        spec.LastFrame = new ReferenceImage { Data = Google.Protobuf.ByteString.CopyFrom(last) };
        spec.DurationSeconds = 6;

        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.True(job.LastFrame);
        Assert.Equal(300, outcome.Job.PriceCredits);
        var instance = _fake.SubmissionBodies[prompt]["instances"]![0]!;
        Assert.Equal(Convert.ToBase64String(first), instance["image"]!["bytesBase64Encoded"]!.GetValue<string>());
        Assert.Equal("image/png", instance["image"]!["mimeType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(last), instance["lastFrame"]!["bytesBase64Encoded"]!.GetValue<string>());
        Assert.Equal("image/jpeg", instance["lastFrame"]!["mimeType"]!.GetValue<string>());
        Assert.Null(instance["referenceImages"]);
    }

    [Fact]
    public async Task Veo_features_three_asset_references_in_an_8_second_clip()
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a fox and a hat on a beach {Guid.NewGuid():N}";
        var references = new[] { Photo(64), Photo(80), InputAndSandboxTests.Jpeg(64, 96) };
        var spec = Spec("veo-3-1-fast", GenerationKind.ReferencesToVideo, prompt, references);

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });
        var outcome = await _harness.StartAsync(user, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        // No length asked: the one Veo allows with references; 720p at 20 credits per second.
        Assert.Equal(8, quote.Value.Spec.DurationSeconds);
        Assert.Equal(160, outcome.Job.PriceCredits);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var body = _fake.SubmissionBodies[prompt];
        var instance = body["instances"]![0]!;
        Assert.Null(instance["image"]);
        Assert.Null(instance["lastFrame"]);
        var sent = instance["referenceImages"]!.AsArray();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Equal("asset", r!["referenceType"]!.GetValue<string>()));
        Assert.Equal(references.Select(Convert.ToBase64String), sent.Select(r => r!["image"]!["bytesBase64Encoded"]!.GetValue<string>()));
        Assert.Equal(8, body["parameters"]!["durationSeconds"]!.GetValue<int>());
        Assert.Equal(840, (await _harness.BalanceAsync(user)).Available);
    }

    public static TheoryData<string, string> RefusedVideoCombinations => new()
    {
        { "references at 4 s", "spec.duration_seconds" },
        { "four references", "spec.reference_images" },
        { "last frame without a first", "spec.last_frame" },
        { "last frame with references", "spec.last_frame" },
        { "several clips", "spec.image_count" },
        { "sound on an image", "spec.audio" },
        { "last frame on an image model", "spec.last_frame" },
    };

    [Theory]
    [MemberData(nameof(RefusedVideoCombinations))]
    public async Task Every_refused_option_combination_is_refused_before_a_job_exists(string combination, string field)
    {
        var prompt = $"{combination} {Guid.NewGuid():N}";
        var frame = new ReferenceImage { Data = Google.Protobuf.ByteString.CopyFrom(Photo()) };
        var spec = combination switch
        {
            "references at 4 s" => Spec("veo-3-1", GenerationKind.ReferencesToVideo, prompt, Photo()),
            "four references" => Spec("veo-3-1", GenerationKind.ReferencesToVideo, prompt, Photo(), Photo(), Photo(), Photo()),
            "last frame without a first" => Video("veo-3-1", prompt, "720p", 8),
            "last frame with references" => Spec("veo-3-1-fast", GenerationKind.ReferencesToVideo, prompt, Photo()),
            "several clips" => Video("veo-3-1-fast", prompt, "720p", 8),
            "sound on an image" => Spec("imagen-4", GenerationKind.TextToImage, prompt),
            _ => Spec("nano-banana-pro", GenerationKind.ImageToImage, prompt, Photo()),
        };
        switch (combination)
        {
            case "references at 4 s":
                spec.DurationSeconds = 4;
                break;
            case "last frame without a first" or "last frame with references" or "last frame on an image model":
                spec.LastFrame = frame;
                break;
            case "several clips":
                spec.ImageCount = 2;
                break;
            case "sound on an image":
                spec.Audio = true;
                break;
        }

        await AssertRefusedUnsentAsync(spec, field);
    }

    [Fact]
    public async Task Nano_banana_pro_sends_all_14_reference_images()
    {
        var user = await _harness.FundedUserAsync(1000);
        var prompt = $"a collage {Guid.NewGuid():N}";
        var references = Enumerable.Range(0, 14).Select(i => Photo(32 + i)).ToArray();

        var job = await _harness.WaitSettledAsync((await _harness.StartAsync(user, Spec("nano-banana-pro", GenerationKind.ImageToImage, prompt, references))).Job.Id);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var parts = _fake.SubmissionBodies[prompt]["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal(references.Select(Convert.ToBase64String), parts.Where(p => p!["inlineData"] is not null).Select(p => p!["inlineData"]!["data"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("nano-banana-pro", 15, "spec.reference_images")]
    [InlineData("nano-banana", 4, "spec.reference_images")]
    [InlineData("nano-banana-2", 5, "spec.reference_images")]
    public async Task More_reference_images_than_the_model_takes_are_refused_unsent(string model, int count, string field)
    {
        var spec = Spec(model, GenerationKind.ImageToImage, $"too many refs {Guid.NewGuid():N}", [.. Enumerable.Range(0, count).Select(_ => Photo())]);
        await AssertRefusedUnsentAsync(spec, field);
    }
}
