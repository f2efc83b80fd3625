using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Playground;
using NanoBanana.Testing;
using Xunit;
using static NanoBanana.Generation.Tests.GenerationHarness;

namespace NanoBanana.Generation.Tests;

/// <summary>
/// A Nano Banana Pro 4K result from the fake Gemini API (4096×4096, about 15 MB: over Telegram's 10 MB photo limit) reaches
/// the chat in the playground emulator, which refuses such photos as Telegram does: a scaled-down preview photo, then the
/// original as a document whose caption gives its real size.
/// </summary>
public sealed class LargeResultDeliveryTests : IAsyncLifetime, IDisposable
{
    private const long User = 4_300_017;

    private FakeProviderServer _fake = null!;
    private PlaygroundServer _playground = null!;
    private HttpClient _telegram = null!;
    private GenerationHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeProviderServer.StartAsync();
        _playground = await PlaygroundServer.StartAsync(new PlaygroundOptions());
        _telegram = new HttpClient { BaseAddress = new Uri(_playground.BaseUrl) };
        (await _telegram.PostAsJsonAsync("/api/users", new { id = User, first_name = "Ann", language_code = "en" })).EnsureSuccessStatusCode();
        _harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("big"), new Dictionary<string, string?>
        {
            ["Generation:Gemini:ApiKey"] = "gemini-key",
            ["Generation:Gemini:BaseUrl"] = _fake.BaseUrl,
            ["Telegram:BotToken"] = _playground.BotToken,
            ["Telegram:ApiBaseUrl"] = _playground.BaseUrl,
            ["Bot:PollTimeoutSeconds"] = "1",
            ["Bot:ChatMessagesPerSecond"] = "50",
            ["Bot:ChatBurst"] = "20",
        });
    }

    public void Dispose() => _telegram.Dispose();

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _playground.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_4k_image_over_10_MB_arrives_as_a_preview_photo_and_a_document_captioned_with_its_real_size()
    {
        (await _telegram.PostAsJsonAsync($"/api/chats/{User}/messages", new { text = "/start" })).EnsureSuccessStatusCode();
        await WaitForBotMessagesAsync(messages => messages.Count > 0);
        var credited = await _harness.SendAsync(new CreditRequest { UserId = User, Amount = 100, Kind = EntryKind.AdminGrant, IdempotencyKey = $"big-{User}", Reference = "test" });
        Assert.True(credited.IsSuccess, credited.ToString());

        var spec = Spec("nano-banana-pro", GenerationKind.TextToImage, "a glacier at dawn, every crack sharp");
        spec.Resolution = "4K";
        var outcome = await _harness.StartAsync(User, spec);
        var job = await _harness.WaitSettledAsync(outcome.Job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        var media = Assert.Single(job.Media);
        Assert.Equal((4096, 4096), (media.Width, media.Height));
        Assert.True(media.SizeBytes > 10 * 1024 * 1024, $"the fake's 4K image is {media.SizeBytes} bytes");

        var messages = await WaitForBotMessagesAsync(all => all.Any(m => Has(m, "document")));
        var document = messages.Single(m => Has(m, "document"));
        var caption = document.GetProperty("caption").GetString()!;
        Assert.Contains("a glacier at dawn", caption, StringComparison.Ordinal);
        Assert.Contains("Cost: 55 credits", caption, StringComparison.Ordinal);
        var megabytes = (media.SizeBytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Original: 4096×4096 px, {megabytes} MB", caption, StringComparison.Ordinal);
        Assert.EndsWith(".png", document.GetProperty("document").GetProperty("file_name").GetString(), StringComparison.Ordinal);

        // The preview went first, as a photo Telegram takes: within 2560 px, its own file.
        var preview = messages.Single(m => Has(m, "photo"));
        Assert.True(preview.GetProperty("message_id").GetInt32() < document.GetProperty("message_id").GetInt32());
        Assert.Equal(2560, preview.GetProperty("photo").GetProperty("width").GetInt32());
        Assert.Equal(2560, preview.GetProperty("photo").GetProperty("height").GetInt32());
    }

    private static bool Has(JsonElement message, string field) =>
        message.GetProperty("from").GetString() == "bot" && message.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object;

    private async Task<List<JsonElement>> WaitForBotMessagesAsync(Func<List<JsonElement>, bool> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            using var transcript = JsonDocument.Parse(await _telegram.GetStringAsync($"/api/chats/{User}/transcript"));
            var messages = transcript.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("from").GetString() == "bot")
                .Select(m => m.Clone())
                .ToList();
            if (condition(messages))
            {
                return messages;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Waited 30 s for the bot's messages.");
    }
}
