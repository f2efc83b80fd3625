using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class GenerationResultFixture : IAsyncLifetime
{
    public const long AdminId = 77_000;

    private static long _nextUser = 70_000;

    public BotHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_results"));
        await Harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Bot:AdminIds:0"] = AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bot:ProgressTickInterval"] = "00:00:00.500",
        });
        var admin = Harness.Chat(AdminId);
        await admin.CreateUserAsync("en", "Admin");
        await admin.WaitForAsync("Admin", await admin.SayAsync("/start"));
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public async Task<PlaygroundChat> NewChatAsync(string language)
    {
        var chat = Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        return chat;
    }

    /// <summary>The transcript with the media fields the shared test records leave out.</summary>
    public async Task<JsonElement[]> BotMessagesAsync(PlaygroundChat chat) =>
        [.. (await Harness.Api.GetFromJsonAsync<JsonElement>($"/api/chats/{chat.UserId}/transcript")).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("from").GetString() == "bot")];

    public async Task<PlaygroundChat> StartedChatAsync(string language, string balanceButton, string balance)
    {
        var chat = await NewChatAsync(language);
        await chat.WaitForAsync("🎁", await chat.SayAsync("/start"));
        await chat.WaitForBalanceAsync(balanceButton, balance);
        return chat;
    }

    public static async Task<PlaygroundChat.ChatMessage> ImageConfirmationAsync(PlaygroundChat chat, string createImage, string prompt)
    {
        var models = await chat.WaitForAsync("🖼", await chat.SayAsync(createImage));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.WaitForAsync("✍️", card.MessageId);
        var ratios = await chat.WaitForAsync("📐", await chat.SayAsync(prompt));
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        return await chat.WaitForAsync("Nano Banana", ratios.MessageId);
    }

    /// <summary>Waits until the chat holds <paramref name="count"/> bot messages carrying <paramref name="field"/> (photo, document, video); returns the last.</summary>
    public async Task<JsonElement> WaitForMediaAsync(PlaygroundChat chat, string field, int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var media = (await BotMessagesAsync(chat)).Where(m => m.GetProperty(field).ValueKind == JsonValueKind.Object).ToList();
            if (media.Count >= count)
            {
                return media[^1];
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The chat never got {count} {field} message(s).");
    }
}

/// <summary>What the user gets when a Sandbox job ends: the result with its cost, or the failure with the refund; and /history.</summary>
public sealed class GenerationResultTests(GenerationResultFixture fixture) : IClassFixture<GenerationResultFixture>
{
    [Theory]
    [InlineData("en", "🖼 Create image", "💰 My balance", "Balance: 20 credits", "Cost: 10 credits", "✅ Done!", "Your last generations")]
    [InlineData("ru", "🖼 Создать изображение", "💰 Мой баланс", "Баланс: 20 кредитов", "Стоимость: 10 кредитов", "✅ Готово!", "Ваши последние генерации")]
    public async Task An_image_job_ends_with_a_photo_and_the_original_document_showing_the_cost_and_history_resends_it(
        string language, string createImage, string balanceButton, string balance, string cost, string done, string historyTitle)
    {
        var chat = await fixture.StartedChatAsync(language, balanceButton, balance);

        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, createImage, "a yellow banana on a plate");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        var delivered = await chat.WaitForAsync(cost, confirm.MessageId);
        Assert.Contains("a yellow banana on a plate", delivered.Caption);
        await chat.WaitForAsync(done, confirm.MessageId);
        var messages = await fixture.BotMessagesAsync(chat);
        var photo = Assert.Single(messages, m => m.GetProperty("photo").ValueKind == JsonValueKind.Object);
        Assert.Contains(cost, photo.GetProperty("caption").GetString());
        var document = await fixture.WaitForMediaAsync(chat, "document", 1);
        Assert.Contains(document.GetProperty("inline_keyboard").EnumerateArray().SelectMany(r => r.EnumerateArray()),
            b => b.GetProperty("callback_data").GetString()!.StartsWith("res:a:", StringComparison.Ordinal));

        var history = await chat.WaitForAsync(historyTitle, await chat.SayAsync("/history"));
        Assert.Contains("Nano Banana", history.Text);
        Assert.Contains("a yellow banana", history.Text);
        await chat.PressAsync(history.MessageId, history.Button("📤 1"));
        await fixture.WaitForMediaAsync(chat, "photo", 2);
    }

    [Fact]
    public async Task A_video_job_ends_with_a_video()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var admin = fixture.Harness.Chat(GenerationResultFixture.AdminId);
        await admin.WaitForAsync("Done:", await admin.SayAsync($"/grant {chat.UserId} 200"));

        var models = await chat.WaitForAsync("🎬", await chat.SayAsync("🎬 Create video"));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1-fast");
        var card = await chat.WaitForAsync("Veo 3.1 Fast", models.MessageId);
        await chat.PressAsync(card.MessageId, card.Button("From a text"));
        await chat.WaitForAsync("Describe the video", card.MessageId);
        var formats = await chat.WaitForAsync("format", await chat.SayAsync("a cat surfing"));
        await chat.PressAsync(formats.MessageId, "vid:a:16:9");
        var durations = await chat.WaitForAsync("length", formats.MessageId);
        await chat.PressAsync(durations.MessageId, "vid:s:4");
        var sound = await chat.WaitForAsync("Sound?", durations.MessageId);
        await chat.PressAsync(sound.MessageId, "vid:u:0");
        var confirm = await chat.WaitForAsync("Generate for", sound.MessageId);
        await chat.PressAsync(confirm.MessageId, confirm.Button("Generate"));

        var delivered = await chat.WaitForAsync("Cost:", confirm.MessageId, timeoutMs: 60_000);
        Assert.Contains("a cat surfing", delivered.Caption);
        var video = await fixture.WaitForMediaAsync(chat, "video", 1);
        Assert.Contains("Cost:", video.GetProperty("caption").GetString());
    }

    [Theory]
    [InlineData("en", "🖼 Create image", "💰 My balance", "Balance: 20 credits", "The 10 credits are back on your balance.", "🔁 Again")]
    [InlineData("ru", "🖼 Создать изображение", "💰 Мой баланс", "Баланс: 20 кредитов", "10 кредитов вернулись на ваш баланс.", "🔁 Ещё раз")]
    public async Task A_failed_job_says_what_happened_and_that_the_credits_are_back(
        string language, string createImage, string balanceButton, string balance, string creditsBack, string again)
    {
        var chat = await fixture.StartedChatAsync(language, balanceButton, balance);

        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, createImage, "a banana [sandbox:safety]");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        var failure = await chat.WaitForAsync(creditsBack, confirm.MessageId);
        Assert.StartsWith("❌", failure.Text);
        Assert.StartsWith("res:a:", failure.Button(again), StringComparison.Ordinal);
        await chat.WaitForBalanceAsync(balanceButton, balance);
    }

    [Fact]
    public async Task Again_asks_the_price_again_with_the_same_parameters()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", "a pear [sandbox:outage]");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
        var failure = await chat.WaitForAsync("credits are back", confirm.MessageId, timeoutMs: 60_000);

        await chat.PressAsync(failure.MessageId, failure.Button("Again"));

        var again = await chat.WaitForAsync("Generate for 10 credits", failure.MessageId);
        Assert.Contains("a pear [sandbox:outage]", again.Text);
        Assert.NotEqual(confirm.InlineKeyboard[0][0].CallbackData, again.InlineKeyboard![0][0].CallbackData);
    }

    [Fact]
    public async Task The_progress_message_is_edited_into_done_rather_than_left_behind()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", "a slow banana [sandbox:slow=2]");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        // "Done" arrives as an edit (of the progress message the job started with), and no "⏳" is left.
        // Waiting for the intermediate "⏳" text would race with a fast job.
        var done = await chat.WaitForAsync("✅ Done!", confirm.MessageId, minEditCount: 1, timeoutMs: 60_000);
        Assert.True(done.MessageId > confirm.MessageId);
        Assert.DoesNotContain((await chat.TranscriptAsync()).Messages, m => (m.Text ?? "").StartsWith('⏳'));
    }

    [Fact]
    public async Task A_running_job_shows_its_elapsed_seconds_counting_up_in_the_one_progress_message()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", "a patient banana [sandbox:slow=4]");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        var done = await chat.WaitForAsync("✅ Done!", confirm.MessageId, minEditCount: 1, timeoutMs: 60_000);
        // Generation reports "running" once; the later seconds come from the bot's ticker, through edits of the same message.
        var progress = (await fixture.BotMessagesAsync(chat)).Single(m => m.GetProperty("message_id").GetInt32() == done.MessageId);
        var seconds = progress.GetProperty("previous_texts").EnumerateArray()
            .Select(t => System.Text.RegularExpressions.Regex.Match(t.GetString()!, @"Generating… (\d+) s"))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(seconds.Count >= 2, $"expected several elapsed-time edits, saw: {progress.GetProperty("previous_texts")}");
        Assert.True(seconds.Max() >= 2, $"the elapsed time did not count up: {string.Join(", ", seconds)}");
        Assert.Equal(seconds.Order(), seconds);
    }

    [Fact]
    public async Task Animate_turns_the_generated_image_into_a_video_draft_that_ends_with_a_video()
    {
        var chat = await fixture.StartedChatAsync("en", "💰 My balance", "Balance: 20 credits");
        var admin = fixture.Harness.Chat(GenerationResultFixture.AdminId);
        await admin.WaitForAsync("Done:", await admin.SayAsync($"/grant {chat.UserId} 200"));
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, "🖼 Create image", "a red apple");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
        var document = await fixture.WaitForMediaAsync(chat, "document", 1);
        var animate = document.GetProperty("inline_keyboard").EnumerateArray().SelectMany(r => r.EnumerateArray())
            .Single(b => b.GetProperty("text").GetString() == "🎬 Animate").GetProperty("callback_data").GetString()!;

        await chat.PressAsync(document.GetProperty("message_id").GetInt32(), animate);
        var models = await chat.WaitForAsync("Choose a model", confirm.MessageId);
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1-fast");
        var ask = await chat.WaitForAsync("Describe the video", models.MessageId);
        var formats = await chat.WaitForAsync("format", await chat.SayAsync("the apple rolls away"));
        await chat.PressAsync(formats.MessageId, "vid:a:16:9");
        var durations = await chat.WaitForAsync("length", formats.MessageId);
        await chat.PressAsync(durations.MessageId, "vid:s:4");
        var sound = await chat.WaitForAsync("Sound?", durations.MessageId);
        await chat.PressAsync(sound.MessageId, "vid:u:0");
        var videoConfirm = await chat.WaitForAsync("Generate for", sound.MessageId);
        await chat.PressAsync(videoConfirm.MessageId, videoConfirm.Button("Generate"));

        var video = await fixture.WaitForMediaAsync(chat, "video", 1);
        Assert.Contains("the apple rolls away", video.GetProperty("caption").GetString());
        Assert.True(ask.MessageId > document.GetProperty("message_id").GetInt32());
    }
}
