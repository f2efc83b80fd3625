using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ardalis.Result;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Playground;
using NanoBanana.Testing;
using Xunit;
using static NanoBanana.Generation.Tests.GenerationHarness;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// The provider-model check against the fake provider server's model lists (Gemini <c>models.list</c>, Vertex publisher
/// models, paged): a model whose id is not listed is hidden, refused, shown in /metrics and /healthz, and the admins are
/// told once in Telegram (the playground emulator) however many checks run; listed again, it comes back.
/// </summary>
public sealed class ProviderModelCheckTests : IAsyncLifetime, IDisposable
{
    private const long Admin = 4_200_017;

    private FakeProviderServer _fake = null!;
    private PlaygroundServer _playground = null!;
    private HttpClient _telegram = null!;
    private GenerationHarness _harness = null!;
    private HttpClient _http = null!;
    private string _serviceAccountFile = string.Empty;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviderServer.StartAsync();
        _fake.UnlistedModelIds["gemini-3-pro-image"] = true;
        _fake.UnlistedModelIds["veo-3.1-fast-generate-001"] = true;
        _playground = await PlaygroundServer.StartAsync(new PlaygroundOptions());
        _telegram = new HttpClient { BaseAddress = new Uri(_playground.BaseUrl) };
        (await _telegram.PostAsJsonAsync("/api/users", new { id = Admin, first_name = "Ops", language_code = "en" })).EnsureSuccessStatusCode();
        _serviceAccountFile = Path.Combine(Path.GetTempPath(), $"nb-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_serviceAccountFile, _fake.ServiceAccountJson);
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("pmc"), new Dictionary<string, string?>
        {
            ["Generation:Gemini:ApiKey"] = "gemini-key",
            ["Generation:Gemini:BaseUrl"] = _fake.BaseUrl,
            ["Generation:Vertex:ServiceAccount"] = _serviceAccountFile,
            ["Generation:Vertex:Project"] = "test-project",
            ["Generation:Vertex:BaseUrl"] = _fake.BaseUrl,
            ["Generation:Vertex:TokenUrl"] = _fake.BaseUrl + "/token",
            ["Generation:ProviderModelCheckInterval"] = "00:00:00.200",
            ["Telegram:BotToken"] = _playground.BotToken,
            ["Telegram:ApiBaseUrl"] = _playground.BaseUrl,
            ["Bot:PollTimeoutSeconds"] = "1",
            ["Bot:AdminIds:0"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _http = new HttpClient { BaseAddress = _harness.Host.HttpAddress };
    }

    public void Dispose()
    {
        _http.Dispose();
        _telegram.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _playground.DisposeAsync();
        await _fake.DisposeAsync();
        File.Delete(_serviceAccountFile);
    }

    [Fact]
    public async Task A_model_its_provider_no_longer_lists_is_hidden_refused_reported_and_alerted_once_then_shown_again()
    {
        var offered = await WaitForOfferedAsync(slugs => !slugs.Contains("nano-banana-pro") && !slugs.Contains("veo-3-1-fast"));
        Assert.Contains("nano-banana", offered);
        Assert.Contains("veo-3-1", offered);
        Assert.Contains("imagen-4", offered);

        var all = (await _harness.SendAsync(new ListAllModelsRequest())).Value.Models.ToDictionary(m => m.Slug);
        Assert.True(all["nano-banana-pro"].ProviderUnlisted);
        Assert.True(all["nano-banana-pro"].Active); // The operator's switch is untouched.
        Assert.True(all["veo-3-1-fast"].ProviderUnlisted);
        Assert.False(all["nano-banana"].ProviderUnlisted);
        Assert.False(all["veo-3-1"].ProviderUnlisted); // Listed unversioned; veo-3-1-fast only as {id}-{version}, now left out.

        var user = await _harness.FundedUserAsync();
        var prompt = $"a lighthouse {Guid.NewGuid():N}";
        var refused = await _harness.SendAsync(new StartGenerationRequest { Spec = Spec("nano-banana-pro", GenerationKind.TextToImage, prompt), ClientRequestId = Guid.NewGuid().ToString("N") }, Principal.ForUser(user));
        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.Contains(refused.ValidationErrors, e => e.Identifier == "spec.model_slug" && e.ErrorMessage.Contains("gemini-3-pro-image", StringComparison.Ordinal));
        Assert.Equal(0, _fake.SubmissionsOf(prompt));
        Assert.Equal(1000, (await _harness.BalanceAsync(user)).Available);

        var metrics = await _http.GetStringAsync("/metrics");
        Assert.Contains("generation_provider_model_unlisted{model=\"nano-banana-pro\",provider=\"Gemini\",provider_model_id=\"gemini-3-pro-image\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("generation_provider_model_unlisted{model=\"veo-3-1-fast\",provider=\"Vertex\",provider_model_id=\"veo-3.1-fast-generate-001\"} 1", metrics, StringComparison.Ordinal);
        using (var health = await _http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // Degraded: the Host still serves everything else.
            var text = await health.Content.ReadAsStringAsync();
            Assert.StartsWith("degraded", text, StringComparison.Ordinal);
            Assert.Contains("nano-banana-pro hidden: Gemini no longer lists gemini-3-pro-image", text, StringComparison.Ordinal);
            Assert.Contains("veo-3-1-fast hidden: Vertex no longer lists veo-3.1-fast-generate-001", text, StringComparison.Ordinal);
        }

        await WaitForAdminTextsAsync(texts => texts.Any(t => t.Contains("nano-banana-pro", StringComparison.Ordinal)) && texts.Any(t => t.Contains("veo-3-1-fast", StringComparison.Ordinal)));
        // More checks run (each reads every page of both lists again) and find the same models missing: no second alert.
        var listReads = ListReads();
        await WaitUntilAsync(() => Task.FromResult(ListReads() >= listReads + 8), "more provider-model checks");
        var alerts = await AdminTextsAsync();
        Assert.Single(alerts, t => t.Contains("nano-banana-pro", StringComparison.Ordinal) && t.Contains("Gemini", StringComparison.Ordinal) && t.Contains("gemini-3-pro-image", StringComparison.Ordinal));
        Assert.Single(alerts, t => t.Contains("veo-3-1-fast", StringComparison.Ordinal) && t.Contains("veo-3.1-fast-generate-001", StringComparison.Ordinal));
        Assert.Equal(2, await _harness.ScalarAsync<long>("SELECT count(*) FROM generation.outbox WHERE type = 'nanobanana.generation.v1.ProviderModelUnlisted'"));

        _fake.UnlistedModelIds.Clear();
        await WaitForOfferedAsync(slugs => slugs.Contains("nano-banana-pro") && slugs.Contains("veo-3-1-fast"));
        Assert.DoesNotContain("generation_provider_model_unlisted{", await _http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Equal("ok", await _http.GetStringAsync("/healthz"));
        var started = await _harness.StartAsync(user, Spec("nano-banana-pro", GenerationKind.TextToImage, prompt));
        Assert.Equal(JobStatus.Succeeded, (await _harness.WaitSettledAsync(started.Job.Id)).Status);
    }

    [Fact]
    public async Task An_operator_who_changes_the_provider_id_gets_the_model_back_without_waiting_for_the_provider()
    {
        await WaitForOfferedAsync(slugs => !slugs.Contains("nano-banana-pro"));
        var model = (await _harness.SendAsync(new GetModelRequest { Slug = "nano-banana-pro" })).Value.Model;
        model.ProviderModelId = "gemini-nano-banana-2.1";
        model.ProviderUnlisted = true; // Read-only: what a client sends back is ignored.
        var upserted = await _harness.SendAsync(new UpsertModelRequest { Model = model });
        Assert.True(upserted.IsSuccess, upserted.ToString());
        Assert.False(upserted.Value.Model.ProviderUnlisted);
        Assert.Contains("nano-banana-pro", await WaitForOfferedAsync(slugs => slugs.Contains("nano-banana-pro")));
    }

    private int ListReads() => _fake.Requests.Count(r => r == "GET /v1beta/models");

    private async Task<HashSet<string>> WaitForOfferedAsync(Func<HashSet<string>, bool> condition)
    {
        HashSet<string> slugs = [];
        await WaitUntilAsync(
            async () =>
            {
                slugs = (await _harness.SendAsync(new ListModelsRequest())).Value.Models.Select(m => m.Slug).ToHashSet();
                return condition(slugs);
            },
            "the offered models");
        return slugs;
    }

    private async Task<List<string>> AdminTextsAsync()
    {
        using var transcript = JsonDocument.Parse(await _telegram.GetStringAsync($"/api/chats/{Admin}/transcript"));
        return transcript.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => m.TryGetProperty("text", out var text) ? text.GetString() ?? string.Empty : string.Empty)
            .ToList();
    }

    private Task WaitForAdminTextsAsync(Func<List<string>, bool> condition) =>
        WaitUntilAsync(async () => condition(await AdminTextsAsync()), "the admin alerts");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Waited 30 s for {what}.");
    }
}
