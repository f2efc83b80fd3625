using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class VideoToolsBotFixture : IAsyncLifetime
{
    private static long _nextUser = 90_000;

    public BotHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_videotools"));
        await Harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Generation:VideoTools:X264Preset"] = "ultrafast",
            ["Generation:Sandbox:Latency"] = "00:00:00",
            // Every step's progress text reaches the chat instead of coalescing into the next one: edits are
            // neither paced nor held back by the per-chat rate (the emulator sets no flood limit of its own).
            ["Bot:EditInterval"] = "00:00:00.050",
            ["Bot:ChatMessagesPerSecond"] = "100",
            ["Bot:ChatBurst"] = "100",
        });
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public async Task<PlaygroundChat> StartedChatAsync(string language)
    {
        var chat = Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync("🎁", await chat.SayAsync("/start"), timeoutMs: 60_000);
        return chat;
    }

    /// <summary>Waits until the chat holds <paramref name="count"/> bot messages carrying <paramref name="field"/> (document, video).</summary>
    public async Task<List<JsonElement>> WaitForMediaAsync(PlaygroundChat chat, string field, int count)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var transcript = await Harness.Api.GetFromJsonAsync<JsonElement>($"/api/chats/{chat.UserId}/transcript");
            var media = transcript.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("from").GetString() == "bot" && m.GetProperty(field).ValueKind == JsonValueKind.Object).ToList();
            if (media.Count >= count)
            {
                return media;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The chat never got {count} {field} message(s).");
    }
}

/// <summary>🎞 Video tools through the playground's Bot API emulator, in both languages, on the Sandbox speech adapter.</summary>
public sealed class VideoToolsBotTests(VideoToolsBotFixture fixture) : IClassFixture<VideoToolsBotFixture>
{
    [Theory]
    [InlineData("en", "🎞 Video tools", "per started minute", "billed as 1 min", "Price: 5 credits", "Burn captions: classic", "Price: 8 credits", "✅ Done!", "Subtitles, burned captions: classic", "Quality: up to 720p (FREE plan)")]
    [InlineData("ru", "🎞 Видеоинструменты", "за каждую начатую минуту", "к оплате 1 мин", "Цена: 5 кр.", "Вшить титры: классика", "Цена: 8 кр.", "✅ Готово!", "Субтитры, вшитые титры: классика", "Качество: до 720p (тариф FREE)")]
    public async Task A_video_sent_as_a_file_comes_back_with_burned_captions_and_its_srt(
        string language, string menuButton, string cardText, string billed, string price, string captionsOn, string newPrice, string done, string summary, string freeQualityNote)
    {
        var chat = await fixture.StartedChatAsync(language);
        var card = await chat.WaitForAsync(cardText, await chat.SayAsync(menuButton));
        Assert.Contains("mp4", card.Text);
        // Long enough that the render outlasts the progress events' delivery on a fast machine at 720p (still one started minute).
        var (video, _) = await TestVideos.WithSpeechAsync("Hello, this is the bot test.", 0.5, 20);

        var options = await chat.WaitForAsync(billed, await chat.SendFileAsync(video, "clip.mp4", asVideo: false));
        Assert.Contains(price, options.Text); // Subtitles only: 5 credits for one started minute.
        Assert.DoesNotContain(freeQualityNote, options.Text, StringComparison.Ordinal); // Nothing is rendered yet.
        await chat.PressAsync(options.MessageId, options.Button("🔤"));
        var toggled = await chat.WaitForAsync(newPrice, options.MessageId - 1, minEditCount: 1); // + 3 for burned captions.
        Assert.Equal(options.MessageId, toggled.MessageId);
        Assert.StartsWith("vt:cap", toggled.Button(captionsOn), StringComparison.Ordinal);
        Assert.Contains(freeQualityNote, toggled.Text, StringComparison.Ordinal);

        await chat.PressAsync(toggled.MessageId, toggled.Button("▶️"));

        await chat.WaitForAsync(done, toggled.MessageId, timeoutMs: 180_000);
        var progress = (await chat.TranscriptAsync()).Messages.Single(m => m.AllTexts.Any(t => t.Contains(done, StringComparison.Ordinal)));
        // One message edited in place to the end; its first text (queued, generating or a step) and which steps get an
        // edit of their own depend on the machine's speed (a fast one renders between two edits), so the test names none.
        var texts = progress.AllTexts.ToList();
        Assert.True(texts.Count >= 2, string.Join(" | ", texts));
        var videos = await fixture.WaitForMediaAsync(chat, "video", 1);
        var documents = await fixture.WaitForMediaAsync(chat, "document", 1);
        // The caption names the tools in the chat's language (and the operators' English description nowhere).
        var caption = Assert.Single(videos).GetProperty("caption").GetString()!;
        Assert.Contains(menuButton, caption, StringComparison.Ordinal);
        Assert.Contains(summary, caption, StringComparison.Ordinal);
        Assert.DoesNotContain(language == "ru" ? "captions: classic" : "титры", caption, StringComparison.Ordinal);
        Assert.EndsWith(".srt", documents[^1].GetProperty("document").GetProperty("file_name").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "🎞 Video tools", "per started minute", "This file is 20.1 MB", "Translate the subtitles", "Price: 8 credits", "Voice-over: over the original sound", "Price: 18 credits", "Voice-over: instead of the original sound", "Voice-over: off")]
    [InlineData("ru", "🎞 Видеоинструменты", "за каждую начатую минуту", "Файл весит 20.1 МБ", "перевести субтитры", "Цена: 8 кр.", "Озвучка: поверх оригинального звука", "Цена: 18 кр.", "Озвучка: вместо оригинального звука", "Озвучка: выкл")]
    public async Task A_file_over_the_download_limit_is_explained_and_a_voice_over_needs_a_language_first_then_mixes_or_replaces_the_sound(
        string language, string menuButton, string cardText, string tooBig, string pickLanguage, string translated, string voiceMixed, string price, string voiceReplacing, string voiceOff)
    {
        var chat = await fixture.StartedChatAsync(language);
        await chat.WaitForAsync(cardText, await chat.SayAsync(menuButton));

        var big = new byte[(20 * 1024 * 1024) + 1024];
        await chat.WaitForAsync(tooBig, await chat.SendFileAsync(big, "big.mp4", asVideo: true));

        var (video, _) = await TestVideos.WithSpeechAsync("Voice over check.", 0.3, 2);
        var options = await chat.WaitForAsync("🎞", await chat.SendFileAsync(video, "clip.mp4", asVideo: true));
        // The emulator's video message carries the file's own picture size, as a Telegram client reports it.
        var transcript = await fixture.Harness.Api.GetFromJsonAsync<JsonElement>($"/api/chats/{chat.UserId}/transcript");
        var sent = transcript.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("from").GetString() == "user" && m.GetProperty("video").ValueKind == JsonValueKind.Object).GetProperty("video");
        Assert.Equal((320, 180), (sent.GetProperty("width").GetInt32(), sent.GetProperty("height").GetInt32()));
        var refused = await chat.WaitForAnswerAsync(await chat.PressAsync(options.MessageId, options.Button("🔊")));
        Assert.True(refused.ShowAlert);

        await chat.PressAsync(options.MessageId, options.Button("🌐"));
        var languages = await chat.WaitForAsync(pickLanguage, options.MessageId - 1, minEditCount: 1);
        await chat.PressAsync(languages.MessageId, "vt:lang:de");
        var german = await chat.WaitForAsync(translated, options.MessageId - 1, minEditCount: 2); // 5 + 3.
        Assert.Equal("vt:tr", german.Button("Deutsch (de)"));
        await chat.PressAsync(german.MessageId, german.Button("🔊"));
        var voiced = await chat.WaitForAsync(price, options.MessageId - 1, minEditCount: 3); // 5 + 3 + 10 for one started minute.
        Assert.Equal("vt:voice", voiced.Button(voiceMixed));

        // The same toggle cycles on: the voice replaces the original sound (same price), then off again.
        await chat.PressAsync(voiced.MessageId, voiced.Button("🔊"));
        var replacing = await chat.WaitForAsync(price, options.MessageId - 1, minEditCount: 4);
        Assert.Equal("vt:voice", replacing.Button(voiceReplacing));
        await chat.PressAsync(replacing.MessageId, replacing.Button("🔊"));
        var off = await chat.WaitForAsync(translated, options.MessageId - 1, minEditCount: 5);
        Assert.Equal("vt:voice", off.Button(voiceOff));
    }

    [Theory]
    [InlineData("en", "🎞 Video tools", "Your plan FREE: videos up to 2 min", "watermark on this plan", "longer than 2 min — the limit of your FREE plan", "⭐ Plans", "Your plan PRO: videos up to 10 min", "billed as 3 min", "Price: 24 credits", "watermark", "rendered videos up to 720p", "video tools: results up to 720p", "rendered videos up to 1080p", "Quality: up to 1080p (PRO plan)")]
    [InlineData("ru", "🎞 Видеоинструменты", "Ваш тариф FREE: видео до 2 мин", "водяной знак", "длиннее 2 мин — это предел вашего тарифа FREE", "⭐ Тарифы", "Ваш тариф PRO: видео до 10 мин", "к оплате 3 мин", "Цена: 24 кр.", "водяной знак", "готовое видео — до 720p", "видеоинструменты: готовое видео до 720p", "готовое видео — до 1080p", "Качество: до 1080p (тариф PRO)")]
    public async Task The_card_and_the_refusal_show_the_free_plans_limits_and_after_upgrading_to_pro_the_longer_video_is_taken_without_a_watermark(
        string language, string menuButton, string freeLimits, string watermark, string tooLong, string plansButton, string proLimits, string billed, string price, string watermarkNote,
        string freeQuality, string freePlanQuality, string proQuality, string proQualityNote)
    {
        var chat = await fixture.StartedChatAsync(language);
        (await fixture.Harness.Api.PostAsJsonAsync($"/api/users/{chat.UserId}/stars", new { stars = 1000 })).EnsureSuccessStatusCode();
        // 2.5 minutes: over FREE's 2, under PRO's 10 (a tiny picture keeps the file small).
        var video = await TestVideos.PatternAsync(150, "sine", size: "64x36");

        var freeCard = await chat.WaitForAsync(freeLimits, await chat.SayAsync(menuButton));
        Assert.Contains(watermark, freeCard.Text, StringComparison.Ordinal);
        Assert.Contains(freeQuality, freeCard.Text, StringComparison.Ordinal);
        var refused = await chat.WaitForAsync(tooLong, await chat.SendFileAsync(video, "long.mp4", asVideo: true));
        Assert.Equal("plans:show", refused.Button(plansButton));

        // Upgrade: the refusal's ⭐ Plans button → PRO → the Stars subscription paid in the emulator.
        await chat.PressAsync(refused.MessageId, "plans:show");
        var overview = await chat.WaitForAsync("CREATOR", refused.MessageId);
        Assert.Contains(freePlanQuality, overview.Text, StringComparison.Ordinal);
        await chat.PressAsync(overview.MessageId, "plans:sub:pro");
        var invoice = await chat.WaitForAsync("Telegram Stars", overview.MessageId);
        var link = invoice.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!;
        (await fixture.Harness.Api.PostAsJsonAsync($"/api/chats/{chat.UserId}/payments", new Dictionary<string, object?> { ["invoice_link"] = link })).EnsureSuccessStatusCode();
        var receipt = await chat.WaitForAsync("PRO", invoice.MessageId);

        // The paid period reaches Billing (credits and plan in one transaction) through the Payments outbox.
        var proCard = await chat.AskUntilAsync(menuButton, menuButton, proLimits);
        Assert.DoesNotContain(watermark, proCard.Text, StringComparison.Ordinal);
        Assert.Contains(proQuality, proCard.Text, StringComparison.Ordinal);
        var options = await chat.WaitForAsync(billed, await chat.SendFileAsync(video, "long.mp4", asVideo: true));
        await chat.PressAsync(options.MessageId, options.Button("🔤"));
        var captions = await chat.WaitForAsync(price, options.MessageId - 1, minEditCount: 1); // (5 + 3) × 3 started minutes.
        Assert.DoesNotContain(watermarkNote, captions.Text, StringComparison.Ordinal);
        Assert.Contains(proQualityNote, captions.Text, StringComparison.Ordinal);
        Assert.True(receipt.MessageId < proCard.MessageId);
    }
}
