using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// One generation worker, so jobs wait: a job behind two others shows its place and the time left in its progress
/// message, and the place moves up as the jobs ahead finish (the ticker refreshes it), in the user's language.
/// </summary>
public sealed class QueueProgressTests : IAsyncLifetime
{
    private BotHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_queue"));
        await _harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Generation:Workers"] = "1",
            ["Generation:Sandbox:Latency"] = "00:00:00",
            ["Bot:ProgressTickInterval"] = "00:00:00.300",
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_job_waiting_behind_others_shows_its_place_and_time_left_and_moves_up()
    {
        var first = await ChatAsync(94_001, "en");
        var second = await ChatAsync(94_002, "en");
        var third = await ChatAsync(94_003, "ru");

        // The only worker is busy with the first job while the others are confirmed behind it.
        var running = await ConfirmAsync(first, "🖼 Create image", "a slow lighthouse [sandbox:slow=20]");
        await first.WaitForAsync("🎨", running, timeoutMs: 30_000);
        var waiting = await ConfirmAsync(second, "🖼 Create image", "a second lighthouse [sandbox:slow=3]");
        var behind = await ConfirmAsync(third, "🖼 Создать изображение", "третий маяк");

        var secondPlace = await second.WaitForAsync("#1 in queue · about", waiting, timeoutMs: 30_000);
        Assert.Matches(@"^⏳ #1 in queue · about \d+ (s|min)$", secondPlace.Text);
        var thirdPlace = await third.WaitForAsync("№2 в очереди · примерно", behind, timeoutMs: 30_000);
        Assert.Matches(@"^⏳ №2 в очереди · примерно \d+ (с|мин)$", thirdPlace.Text);

        // The job ahead starts: the same message now says it is next.
        var next = await third.WaitForAsync("№1 в очереди", behind, timeoutMs: 60_000);
        Assert.Equal(thirdPlace.MessageId, next.MessageId);
        var done = await third.WaitForAsync("✅ Готово!", behind, timeoutMs: 60_000);
        Assert.Equal(thirdPlace.MessageId, done.MessageId);
    }

    private async Task<PlaygroundChat> ChatAsync(long userId, string language)
    {
        var chat = _harness.Chat(userId);
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync("🎁", await chat.SayAsync("/start"));
        return chat;
    }

    /// <summary>Confirms a Nano Banana job; returns the confirmation card's id (the progress message follows it).</summary>
    private static async Task<int> ConfirmAsync(PlaygroundChat chat, string createImage, string prompt)
    {
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, createImage, prompt);
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
        return confirm.MessageId;
    }
}
