using Ardalis.Result;
using Google.Protobuf;
using NanoBanana.BuildingBlocks.Media;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Providers;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// Virtual try-on (ADR 0165): the Catalog's offer prices it and names the model; the real Gemini adapter sends the
/// person and the garment as two inline images with the server's zone instruction to the fake Gemini server.
/// </summary>
public sealed class TryOnTests : IAsyncLifetime
{
    private FakeProviderServer _fake = null!;
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviderServer.StartAsync();
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("tryon"), new Dictionary<string, string?>
        {
            ["Generation:Gemini:ApiKey"] = "gemini-key",
            ["Generation:Gemini:BaseUrl"] = _fake.BaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static readonly byte[] Person = Solid(60, 120, 200, 40, 40);

    private static readonly byte[] Garment = Solid(40, 40, 30, 60, 220);

    /// <summary>A PNG of one colour.</summary>
    internal static byte[] Solid(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        }

        return PngEncoder.Encode(width, height, pixels);
    }

    internal static GenerationSpec TryOn(TryOnZone zone, params byte[][] images)
    {
        var spec = new GenerationSpec { Kind = GenerationKind.TryOn, TryOnZone = zone };
        spec.ReferenceImages.AddRange(images.Select(i => new ReferenceImage { Data = ByteString.CopyFrom(i) }));
        return spec;
    }

    private int GeminiCalls => _fake.Requests.Count(r => r.EndsWith(":generateContent", StringComparison.Ordinal));

    [Fact]
    public async Task A_try_on_reaches_gemini_with_the_person_then_the_garment_and_the_zone_instruction_and_is_charged_on_delivery()
    {
        var user = await _harness.FundedUserAsync(100);

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = TryOn(TryOnZone.Shoes, Person, Garment) });
        var outcome = await _harness.StartAsync(user, TryOn(TryOnZone.Shoes, Person, Garment));
        var held = await _harness.BalanceAsync(user);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);

        Assert.True(quote.IsSuccess, quote.Describe());
        Assert.Equal(2, quote.Value.PriceCredits);
        Assert.Empty(quote.Value.Spec.Prompt);
        Assert.Equal(2, outcome.Job.PriceCredits);
        Assert.Equal(2, held.Reserved);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(GenerationKind.TryOn, job.Kind);
        Assert.Equal(TryOnZone.Shoes, job.TryOnZone);
        Assert.Equal("nano-banana-2", job.ModelSlug);
        Assert.Single(job.Media);
        Assert.Contains(_fake.Requests, r => r == "POST /v1beta/models/gemini-nano-banana-2.1:generateContent");

        var body = Assert.Single(_fake.SubmissionBodies, b => b.Key.Contains("Virtual try-on", StringComparison.Ordinal) && b.Key.Contains("shoes", StringComparison.Ordinal)).Value;
        var parts = body["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal(3, parts.Count);
        var instruction = parts[0]!["text"]!.GetValue<string>();
        Assert.Contains("first image shows a person", instruction, StringComparison.Ordinal);
        Assert.Contains("wearing the shoes from the second image", instruction, StringComparison.Ordinal);
        Assert.Equal(Convert.ToBase64String(Person), parts[1]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Garment), parts[2]!["inlineData"]!["data"]!.GetValue<string>());
        Assert.Null(body["generationConfig"]!["imageConfig"]!["aspectRatio"]);

        var balance = await _harness.BalanceAsync(user);
        Assert.Equal(98, balance.Available);
        Assert.Equal(0, balance.Reserved);
        var succeeded = Assert.Single(await _harness.EventsAsync<GenerationSucceeded>(outcome.Job.Id));
        Assert.Equal(TryOnZone.Shoes, succeeded.TryOnZone);
        Assert.Equal(GenerationKind.TryOn, succeeded.Kind);
        // Both inputs are job inputs, so the retention sweeper deletes them after Generation:InputRetention (24 h).
        Assert.Equal(2L, await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.job_inputs WHERE job_id = @j", ("j", Guid.Parse(outcome.Job.Id))));
    }

    [Fact]
    public void Every_zone_has_its_own_instruction_and_none_is_the_users()
    {
        var zones = Enum.GetValues<TryOnZone>().Where(z => z != TryOnZone.Unspecified).ToList();
        var prompts = zones.Select(Jobs.TryOnPrompts.For).ToList();

        Assert.Equal(zones.Count, prompts.Distinct().Count());
        Assert.All(prompts, p => Assert.StartsWith("Virtual try-on.", p, StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jobs.TryOnPrompts.For(TryOnZone.Unspecified));
    }

    public static TheoryData<string> Refusals => ["prompt", "model", "one image", "three images", "no zone", "not an image", "aspect ratio", "count"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_malformed_try_on_is_refused_with_nothing_held_or_sent(string what)
    {
        var user = await _harness.FundedUserAsync(100);
        var spec = what switch
        {
            "one image" => TryOn(TryOnZone.Top, Person),
            "three images" => TryOn(TryOnZone.Top, Person, Garment, Garment),
            "no zone" => TryOn(TryOnZone.Unspecified, Person, Garment),
            "not an image" => TryOn(TryOnZone.Top, Person, "GIF89a not really"u8.ToArray()),
            _ => TryOn(TryOnZone.Top, Person, Garment),
        };
        spec.Prompt = what == "prompt" ? "ignore the garment and draw a dragon" : "";
        spec.ModelSlug = what == "model" ? "nano-banana-pro" : "";
        spec.AspectRatio = what == "aspect ratio" ? "16:9" : "";
        spec.ImageCount = what == "count" ? 2 : 0;
        var calls = GeminiCalls;

        var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = spec });
        var started = await _harness.SendAsync(new StartGenerationRequest { Spec = spec, ClientRequestId = Guid.NewGuid().ToString("N") }, Principal.ForUser(user));

        Assert.Equal(ResultStatus.Invalid, quote.Status);
        Assert.Equal(ResultStatus.Invalid, started.Status);
        Assert.NotEmpty(started.ValidationErrors);
        var balance = await _harness.BalanceAsync(user);
        Assert.Equal(100, balance.Available);
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(0L, await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.jobs WHERE user_id = @u", ("u", user)));
        await Task.Delay(200);
        Assert.Equal(calls, GeminiCalls);
    }

    [Fact]
    public async Task A_refused_result_releases_the_hold()
    {
        var user = await _harness.FundedUserAsync(100);
        _fake.GeminiFinishReasonForAll = "IMAGE_SAFETY";
        try
        {
            var outcome = await _harness.StartAsync(user, TryOn(TryOnZone.Hat, Person, Garment));
            var job = await _harness.WaitSettledAsync(outcome.Job.Id);

            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Equal(FailureClass.Safety, job.FailureClass);
            Assert.Contains("2", job.FailureReason.En, StringComparison.Ordinal);
            var balance = await _harness.BalanceAsync(user);
            Assert.Equal(100, balance.Available);
            Assert.Equal(0, balance.Reserved);
        }
        finally
        {
            _fake.GeminiFinishReasonForAll = null;
        }
    }

    [Fact]
    public async Task The_admin_sets_the_price_and_switches_it_off_and_only_a_fitting_model_is_accepted()
    {
        var user = await _harness.FundedUserAsync(100);
        var original = (await _harness.SendAsync(new GetTryOnOfferRequest(), Principal.Anonymous)).Value.Offer;
        Assert.Equal(new TryOnOffer { Enabled = true, PriceCredits = 2, ProviderCostKopecks = 600, ModelSlug = "nano-banana-2" }, original);
        try
        {
            var video = await _harness.SendAsync(new UpdateTryOnOfferRequest { Offer = new TryOnOffer { Enabled = true, PriceCredits = 3, ModelSlug = "veo-3-1" } });
            var free = await _harness.SendAsync(new UpdateTryOnOfferRequest { Offer = new TryOnOffer { Enabled = true, PriceCredits = 0, ModelSlug = "nano-banana-2" } });
            Assert.Equal(ResultStatus.Invalid, video.Status);
            Assert.Contains(video.ValidationErrors, e => e.Identifier == "offer.model_slug");
            Assert.Equal(ResultStatus.Invalid, free.Status);

            Assert.True((await _harness.SendAsync(new UpdateTryOnOfferRequest { Offer = new TryOnOffer { Enabled = true, PriceCredits = 5, ProviderCostKopecks = 900, ModelSlug = "nano-banana-pro" } })).IsSuccess);
            var quote = await _harness.SendAsync(new QuoteGenerationRequest { Spec = TryOn(TryOnZone.Top, Person, Garment) });
            Assert.Equal(5, quote.Value.PriceCredits);

            await _harness.SendAsync(new UpdateTryOnOfferRequest { Offer = new TryOnOffer { Enabled = false, PriceCredits = 5, ModelSlug = "nano-banana-pro" } });
            var started = await _harness.SendAsync(new StartGenerationRequest { Spec = TryOn(TryOnZone.Top, Person, Garment), ClientRequestId = "off" }, Principal.ForUser(user));
            Assert.Equal(ResultStatus.Invalid, started.Status);
            Assert.Contains(started.ValidationErrors, e => e.ErrorMessage.Contains("switched off", StringComparison.Ordinal));
            Assert.Equal(100, (await _harness.BalanceAsync(user)).Available);
        }
        finally
        {
            await _harness.SendAsync(new UpdateTryOnOfferRequest { Offer = original });
        }
    }

    [Fact]
    public async Task The_sandbox_puts_the_garment_into_the_zone_on_the_person_photo()
    {
        var request = new ProviderRequest(Guid.NewGuid(), GenerationKind.TryOn, "sandbox", "", "", 0, "", false, [new("image/png", Person, null), new("image/png", Garment, null)], 1)
        {
            TryOnZone = TryOnZone.Top,
        };

        var result = await SandboxTryOn.RenderAsync("ffmpeg", request, CancellationToken.None);
        var rgb = await Ffmpeg.PipeAsync("ffmpeg", ["-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], result.Data, FfmpegLimits.OneOff, CancellationToken.None);

        Assert.Equal("image/png", result.MimeType);
        Assert.Equal((60, 120), (result.Width, result.Height));
        (byte R, byte G, byte B) Pixel(double fx, double fy)
        {
            var offset = (((int)(fy * 120) * 60) + (int)(fx * 60)) * 3;
            return (rgb[offset], rgb[offset + 1], rgb[offset + 2]);
        }

        // The person's colour outside the zone, the garment's in the middle of the top zone (chest).
        var legs = Pixel(0.05, 0.9);
        Assert.True(legs.R > 180 && legs.B < 60, $"person pixel {legs}");
        var chest = Pixel(0.5, 0.38);
        Assert.True(chest.B > 180 && chest.R < 60, $"chest pixel {chest}");
    }
}
