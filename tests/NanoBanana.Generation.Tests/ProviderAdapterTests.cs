using Microsoft.Extensions.Logging.Abstractions;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Inputs;
using NanoBanana.Generation.Providers;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class FakeServerFixture : IAsyncLifetime
{
    public FakeProviderServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Every real adapter against a loopback server speaking its provider's REST shapes.</summary>
public sealed class ProviderAdapterTests(FakeServerFixture fixture) : IClassFixture<FakeServerFixture>
{
    private FakeProviderServer Server => fixture.Server;

    private static T Fast<T>(T options)
        where T : ProviderOptions
    {
        options.HttpRetries = 2;
        options.HttpRetryDelay = TimeSpan.FromMilliseconds(5);
        // Generous for a loaded CI machine; the "slow" fake outlasts it by far, so the timeout path is still exercised.
        options.RequestTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    private GeminiProvider Gemini(string key = "gemini-key")
    {
        var options = Fast(new GeminiOptions { ApiKey = key, BaseUrl = Server.BaseUrl });
        return new GeminiProvider(options, new ProviderHttp(nameof(Engine.Gemini), options, NullLogger.Instance));
    }

    private VertexProvider Vertex()
    {
        var options = Fast(new VertexOptions
        {
            ServiceAccount = Server.ServiceAccountJson,
            Project = "test-project",
            Location = "us-central1",
            BaseUrl = Server.BaseUrl,
            TokenUrl = Server.BaseUrl + "/token",
            StorageBaseUrl = Server.BaseUrl,
        });
        return new VertexProvider(options, new ServiceAccountTokens(options, TimeProvider.System), new ProviderHttp(nameof(Engine.Vertex), options, NullLogger.Instance));
    }

    private KieProvider Kie()
    {
        var options = Fast(new KieOptions { ApiKey = "kie-key", BaseUrl = Server.BaseUrl });
        return new KieProvider(options, new ProviderHttp(nameof(Engine.Kie), options, NullLogger.Instance));
    }

    private static ProviderRequest Request(string prompt, GenerationKind kind = GenerationKind.TextToImage, string model = "gemini-2.5-flash-image", params ProviderImage[] references) =>
        new(Guid.NewGuid(), kind, model, prompt, "1:1", kind is GenerationKind.TextToVideo or GenerationKind.ImageToVideo ? 4 : 0, "1K", false, references, 1);

    private static string Unique(string behaviour) => $"{behaviour} {Guid.NewGuid():N}";

    private static async Task<FailureClass> FailureOf(Task<ProviderOutcome> call)
    {
        var failure = await Assert.ThrowsAsync<ProviderFailureException>(() => call);
        Console.WriteLine(failure.Message);
        return failure.FailureClass;
    }

    [Fact]
    public async Task Gemini_returns_the_inline_image_of_a_reference_request()
    {
        var reference = new ProviderImage("image/png", FakeProviderServer.TinyPng, null);
        var outcome = await Gemini().SubmitAsync(Request(Unique("a cat"), GenerationKind.ImageToImage, references: reference), default);

        var media = Assert.Single(Assert.IsType<ProviderOutcome.Completed>(outcome).Media);
        Assert.Equal("image/png", media.MimeType);
        Assert.Equal(32, ImageInspector.Inspect(media.Data)!.Width);
    }

    [Theory]
    [InlineData("blocked", FailureClass.Safety)]
    [InlineData("imagesafety", FailureClass.Safety)]
    [InlineData("noimage", FailureClass.Empty)]
    [InlineData("textonly", FailureClass.Empty)]
    [InlineData("http400", FailureClass.InvalidInput)]
    [InlineData("http500", FailureClass.Transient)]
    [InlineData("http429always", FailureClass.Transient)]
    [InlineData("malformed", FailureClass.Transient)]
    public async Task Gemini_failures_are_classified(string behaviour, FailureClass expected)
    {
        Assert.Equal(expected, await FailureOf(Gemini().SubmitAsync(Request(Unique(behaviour)), default)));
    }

    [Fact]
    public async Task Gemini_retries_a_429_then_succeeds()
    {
        var prompt = Unique("http429once");
        var outcome = await Gemini().SubmitAsync(Request(prompt), default);

        Assert.IsType<ProviderOutcome.Completed>(outcome);
        Assert.Equal(2, Server.SubmissionsOf(prompt));
    }

    [Fact]
    public async Task Gemini_does_not_resend_a_submission_that_timed_out()
    {
        var prompt = Unique("slow");
        Assert.Equal(FailureClass.Transient, await FailureOf(Gemini().SubmitAsync(Request(prompt), default)));
        Assert.Equal(1, Server.SubmissionsOf(prompt));
    }

    [Fact]
    public async Task Gemini_with_a_wrong_key_is_a_permanent_failure()
    {
        Assert.Equal(FailureClass.Permanent, await FailureOf(Gemini("wrong").SubmitAsync(Request(Unique("a dog")), default)));
    }

    [Fact]
    public async Task Gemini_breaker_opens_after_repeated_server_errors()
    {
        var gemini = Gemini();
        for (var i = 0; i < 5; i++)
        {
            await FailureOf(gemini.SubmitAsync(Request(Unique("http500")), default));
        }

        var healthy = Unique("a bird");
        var failure = await Assert.ThrowsAsync<ProviderFailureException>(() => gemini.SubmitAsync(Request(healthy), default));
        Assert.Contains("circuit open", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.SubmissionsOf(healthy));
    }

    [Fact]
    public async Task Imagen_predicts_with_a_signed_service_account_token()
    {
        var outcome = await Vertex().SubmitAsync(Request(Unique("a lighthouse"), model: "imagen-4.0-generate-001"), default);

        Assert.Single(Assert.IsType<ProviderOutcome.Completed>(outcome).Media);
        Assert.True(Server.TokenExchanges >= 1);
    }

    [Fact]
    public async Task Imagen_filtered_result_is_a_safety_failure()
    {
        Assert.Equal(FailureClass.Safety, await FailureOf(Vertex().SubmitAsync(Request(Unique("filtered"), model: "imagen-4.0-generate-001"), default)));
    }

    [Fact]
    public async Task Veo_starts_an_operation_and_polls_it_to_the_video()
    {
        var veo = Vertex();
        var request = Request(Unique("a wave"), GenerationKind.TextToVideo, "veo-3.1-fast-generate-001");
        var pending = Assert.IsType<ProviderOutcome.Pending>(await veo.SubmitAsync(request, default));
        Assert.Contains("/operations/", pending.OperationId, StringComparison.Ordinal);

        var outcome = await veo.PollAsync(request, pending.OperationId, default);
        Assert.IsType<ProviderOutcome.Pending>(outcome);
        outcome = await veo.PollAsync(request, pending.OperationId, default);

        var video = Assert.Single(Assert.IsType<ProviderOutcome.Completed>(outcome).Media);
        Assert.Equal("video/mp4", video.MimeType);
        Assert.Equal(FakeProviderServer.FakeMp4, video.Data);
    }

    [Fact]
    public async Task Veo_downloads_a_gcs_result()
    {
        var video = await RunVeoAsync(Unique("gcs"));

        Assert.Equal(FakeProviderServer.FakeMp4, Assert.Single(Assert.IsType<ProviderOutcome.Completed>(video).Media).Data);
    }

    [Theory]
    [InlineData("raifiltered", FailureClass.Safety)]
    [InlineData("opsafety", FailureClass.Safety)]
    [InlineData("novideo", FailureClass.Empty)]
    [InlineData("operror", FailureClass.Transient)]
    public async Task Veo_operation_outcomes_are_classified(string behaviour, FailureClass expected)
    {
        var failure = await Assert.ThrowsAsync<ProviderFailureException>(() => RunVeoAsync(Unique(behaviour)));
        Assert.Equal(expected, failure.FailureClass);
    }

    [Fact]
    public async Task Veo_status_check_failure_is_retried_and_keeps_the_operation()
    {
        var outcome = await RunVeoAsync(Unique("pollfails"));

        Assert.IsType<ProviderOutcome.Completed>(outcome);
    }

    [Fact]
    public async Task Veo_unknown_operation_is_a_permanent_failure()
    {
        var request = Request(Unique("a wave"), GenerationKind.TextToVideo, "veo-3.1-fast-generate-001");
        var name = "projects/test-project/locations/us-central1/publishers/google/models/veo-3.1-fast-generate-001/operations/unknown";

        Assert.Equal(FailureClass.Permanent, await FailureOf(Vertex().PollAsync(request, name, default)));
    }

    [Fact]
    public async Task Kie_creates_a_task_polls_it_and_downloads_the_result()
    {
        var kie = Kie();
        var request = Request(Unique("a robot"), model: "google/nano-banana");
        var pending = Assert.IsType<ProviderOutcome.Pending>(await kie.SubmitAsync(request, default));
        ProviderOutcome outcome = pending;
        for (var i = 0; i < 5 && outcome is ProviderOutcome.Pending; i++)
        {
            outcome = await kie.PollAsync(request, pending.OperationId, default);
        }

        var image = Assert.Single(Assert.IsType<ProviderOutcome.Completed>(outcome).Media);
        Assert.Equal(FakeProviderServer.TinyPng, image.Data);
    }

    [Theory]
    [InlineData("taskfail", FailureClass.Permanent)]
    [InlineData("tasksafety", FailureClass.Safety)]
    public async Task Kie_failed_tasks_are_classified(string behaviour, FailureClass expected)
    {
        var kie = Kie();
        var request = Request(Unique(behaviour), model: "google/nano-banana");
        var pending = Assert.IsType<ProviderOutcome.Pending>(await kie.SubmitAsync(request, default));
        var failure = await Assert.ThrowsAsync<ProviderFailureException>(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await kie.PollAsync(request, pending.OperationId, default);
            }
        });
        Assert.Equal(expected, failure.FailureClass);
        Assert.True(failure.OperationEnded);
    }

    [Theory]
    [InlineData("nocredits", FailureClass.Quota)]
    [InlineData("malformed", FailureClass.Transient)]
    [InlineData("http500", FailureClass.Transient)]
    public async Task Kie_create_failures_are_classified(string behaviour, FailureClass expected)
    {
        Assert.Equal(expected, await FailureOf(Kie().SubmitAsync(Request(Unique(behaviour), model: "google/nano-banana"), default)));
    }

    [Fact]
    public async Task Kie_without_public_reference_urls_refuses_image_requests()
    {
        var reference = new ProviderImage("image/png", FakeProviderServer.TinyPng, null);
        Assert.Equal(FailureClass.Permanent, await FailureOf(Kie().SubmitAsync(Request(Unique("edit"), GenerationKind.ImageToImage, "google/nano-banana-edit", reference), default)));
    }

    private async Task<ProviderOutcome> RunVeoAsync(string prompt)
    {
        var veo = Vertex();
        var request = Request(prompt, GenerationKind.TextToVideo, "veo-3.1-fast-generate-001");
        var pending = Assert.IsType<ProviderOutcome.Pending>(await veo.SubmitAsync(request, default));
        ProviderOutcome outcome = pending;
        for (var i = 0; i < 6 && outcome is ProviderOutcome.Pending; i++)
        {
            try
            {
                outcome = await veo.PollAsync(request, pending.OperationId, default);
            }
            catch (ProviderFailureException failure) when (failure.FailureClass == FailureClass.Transient && !failure.OperationEnded)
            {
                // A failed status check: the job queue checks again later.
            }
        }

        return outcome;
    }
}
