using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class ConversationFixture : IAsyncLifetime
{
    private static long _nextUser = 1000;

    public BotHarness Harness { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_conv"));
        Host = await Harness.StartHostAsync();
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public async Task<PlaygroundChat> NewChatAsync(string language)
    {
        var chat = Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        return chat;
    }
}

/// <summary>Whole conversations through the emulator, in English and Russian.</summary>
public sealed class ConversationTests(ConversationFixture fixture) : IClassFixture<ConversationFixture>
{
    [Theory]
    [InlineData("en", "Hi, Ann", "🖼 Create image", "💰 My balance")]
    [InlineData("ru", "Привет, Ann", "🖼 Создать изображение", "💰 Мой баланс")]
    public async Task Start_greets_in_the_users_language_with_the_menu_keyboard_and_the_mini_app_button(string language, string greeting, string imageButton, string balanceButton)
    {
        var chat = await fixture.NewChatAsync(language);

        var sent = await chat.SayAsync("/start");
        await chat.WaitForAsync(greeting, sent);

        var transcript = await chat.TranscriptAsync();
        var keys = transcript.ReplyKeyboard!.SelectMany(row => row).Select(b => b.Text).ToList();
        Assert.Contains(imageButton, keys);
        Assert.Contains(balanceButton, keys);
        Assert.Equal(8, keys.Count); // Create video, Create image, Try-on, Prompt assistant, Video tools, Plans, My balance, Top up.
        Assert.Equal("web_app", transcript.MenuButton.Type);
        Assert.EndsWith("/app/", transcript.MenuButton.Url);
    }

    [Theory]
    [InlineData("en", "Welcome bonus: 20 credits", "💰 My balance", "Balance: 20 credits", "Invite friends")]
    [InlineData("ru", "Приветственный бонус: 20 кредитов", "💰 Мой баланс", "Баланс: 20 кредитов", "Приглашайте друзей")]
    public async Task First_start_registers_the_user_with_the_welcome_bonus_which_my_balance_then_shows(
        string language, string bonus, string balanceButton, string balanceLine, string referral)
    {
        var chat = await fixture.NewChatAsync(language);

        var first = await chat.WaitForAsync(bonus, await chat.SayAsync("/start"));
        var second = await chat.WaitForAsync("Ann", await chat.SayAsync("/start"));
        Assert.DoesNotContain(bonus, second.Text);

        // The bonus is credited by Billing from the UserRegistered event, shortly after.
        PlaygroundChat.ChatMessage? shown = null;
        for (var attempt = 0; attempt < 20 && shown is null; attempt++)
        {
            var reply = await chat.WaitForAsync(referral, await chat.SayAsync(balanceButton));
            shown = reply.Text!.Contains(balanceLine, StringComparison.Ordinal) ? reply : null;
        }

        Assert.NotNull(shown);
        Assert.Contains("ref_", shown.Text);
        Assert.Contains(shown.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData == "bal:daily");
        Assert.True(first.MessageId < shown.MessageId);
    }

    [Fact]
    public async Task Confirming_starts_one_sandbox_job_and_a_double_tap_starts_no_second()
    {
        var chat = await fixture.NewChatAsync("en");
        await chat.WaitForAsync("Welcome bonus", await chat.SayAsync("/start"));
        await chat.WaitForBalanceAsync("💰 My balance", "Balance: 20 credits");
        var models = await chat.WaitForAsync("Choose a model", await chat.SayAsync("🖼 Create image"));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.SayAsync("a yellow banana");
        var ratios = await chat.WaitForAsync("aspect ratio", card.MessageId);
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        var confirm = await chat.WaitForAsync("Generate for 10 credits", ratios.MessageId);

        var generate = confirm.Button("Generate");
        var first = await chat.PressAsync(confirm.MessageId, generate);
        var second = await chat.PressAsync(confirm.MessageId, generate);

        Assert.Equal("Started!", (await chat.WaitForAnswerAsync(first)).Text);
        Assert.Equal("Already started — one tap is enough.", (await chat.WaitForAnswerAsync(second)).Text);
        // One job: one progress message and one result. A Sandbox job is quick: its "Done" edit may be merged into the
        // progress message while that is still queued, so the message may never have shown "⏳" at all.
        await chat.WaitForAsync("Cost: 10 credits", confirm.MessageId, timeoutMs: 60_000);
        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => m.From == "bot" && m.AllTexts.Any(t => t.StartsWith('⏳') || t == "✅ Done!"));
        Assert.Single(transcript.Messages, m => (m.Caption ?? m.Text ?? "").Contains("Cost: 10 credits", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "Welcome bonus", "🎬 Create video", "Choose a model", "format", "length", "Sound?", "Generate for 200 credits", "Not enough credits", "this costs 200", "Started!")]
    [InlineData("ru", "Приветственный бонус", "🎬 Создать видео", "Выберите модель", "формат", "длительность", "Со звуком?", "Создать за 200 кредитов", "Недостаточно кредитов", "стоимость 200", "Запущено!")]
    public async Task Not_enough_credits_shows_the_shortfall_with_top_up_choices_and_keeps_the_draft(
        string language, string bonus, string createVideo, string pickModel, string format, string length, string sound, string confirmText, string notEnough, string costs, string started)
    {
        var chat = await fixture.NewChatAsync(language);
        await chat.WaitForAsync(bonus, await chat.SayAsync("/start"));
        var models = await chat.WaitForAsync(pickModel, await chat.SayAsync(createVideo));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1");
        var card = await chat.WaitForAsync("Veo 3.1", models.MessageId);
        await chat.PressAsync(card.MessageId, "vid:t");
        await chat.SayAsync("a storm at sea");
        var formats = await chat.WaitForAsync(format, card.MessageId);
        await chat.PressAsync(formats.MessageId, "vid:a:16:9");
        var durations = await chat.WaitForAsync(length, formats.MessageId);
        await chat.PressAsync(durations.MessageId, "vid:s:4");
        var audio = await chat.WaitForAsync(sound, durations.MessageId);
        await chat.PressAsync(audio.MessageId, "vid:u:0");
        var confirm = await chat.WaitForAsync(confirmText, audio.MessageId);
        var generate = confirm.InlineKeyboard![0][0].CallbackData!;

        await chat.PressAsync(confirm.MessageId, generate);

        var shortfall = await chat.WaitForAsync(notEnough, confirm.MessageId);
        Assert.Contains(costs, shortfall.Text);
        var buttons = shortfall.InlineKeyboard!.SelectMany(r => r).ToList();
        Assert.Contains(buttons, b => b.WebAppUrl is not null);
        Assert.Contains(buttons, b => b.CallbackData?.StartsWith("top:stars:", StringComparison.Ordinal) == true);

        // Topped up elsewhere, the user comes back to the same confirmation: the draft still starts.
        var credited = await fixture.Host.SendAsync(BuildingBlocks.Security.Principal.Module, new Billing.Contracts.V1.CreditRequest
        {
            UserId = chat.UserId,
            Amount = 200,
            Kind = Billing.Contracts.V1.EntryKind.AdminGrant,
            IdempotencyKey = $"test-topup-{chat.UserId}",
        });
        Assert.True(credited.IsSuccess, string.Join("; ", credited.Errors));
        Assert.Equal(started, (await chat.WaitForAnswerAsync(await chat.PressAsync(confirm.MessageId, generate))).Text);
    }


    [Theory]
    [InlineData("en", "How it works", "/paysupport")]
    [InlineData("ru", "Как это работает", "/paysupport")]
    public async Task Help_explains_the_flow_and_the_commands(string language, string title, string command)
    {
        var chat = await fixture.NewChatAsync(language);

        var reply = await chat.WaitForAsync(title, await chat.SayAsync("/help"));

        Assert.Contains(command, reply.Text);
    }

    [Fact]
    public async Task Lang_switches_the_language_and_the_choice_sticks()
    {
        var chat = await fixture.NewChatAsync("en");
        var picker = await chat.WaitForAsync("Choose your language", await chat.SayAsync("/lang"));

        var callback = await chat.PressAsync(picker.MessageId, "lang:ru");
        await chat.WaitForAnswerAsync(callback);
        var switched = await chat.WaitForAsync("Язык: Русский", picker.MessageId);

        // Telegram still says "en"; the user's choice wins.
        await chat.WaitForAsync("Как это работает", await chat.SayAsync("/help"));
        Assert.Contains("🖼 Создать изображение", (await chat.TranscriptAsync()).ReplyKeyboard!.SelectMany(r => r).Select(b => b.Text));
        Assert.True(switched.MessageId > picker.MessageId);
    }

    [Theory]
    [InlineData("en", "🖼 Create image", "Choose a model", "From a text", "Describe the image", "aspect ratio", "Generate for 30 credits")]
    [InlineData("ru", "🖼 Создать изображение", "Выберите модель", "По текстовому", "Опишите, какое", "соотношение сторон", "Создать за 30 кредитов")]
    public async Task Create_image_from_text_walks_model_card_prompt_and_aspect_to_the_price_confirmation(
        string language, string menuButton, string pickTitle, string fromText, string askPrompt, string aspect, string confirm)
    {
        var chat = await fixture.NewChatAsync(language);

        var models = await chat.WaitForAsync(pickTitle, await chat.SayAsync(menuButton));
        Assert.Contains(models.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData == "img:m:nano-banana" && b.Text.Contains("10", StringComparison.Ordinal));
        Assert.DoesNotContain(models.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData!.StartsWith("img:m:veo", StringComparison.Ordinal));

        var press = await chat.PressAsync(models.MessageId, "img:m:nano-banana-pro");
        await chat.WaitForAnswerAsync(press);
        var card = await chat.WaitForAsync("Nano Banana Pro", models.MessageId);
        Assert.Contains("4", card.Text);

        await chat.PressAsync(card.MessageId, card.Button(fromText));
        var prompt = await chat.WaitForAsync(askPrompt, card.MessageId);

        var said = await chat.SayAsync("a banana astronaut on the moon");
        var ratios = await chat.WaitForAsync(aspect, said);
        Assert.Contains(ratios.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData == "img:a:16:9");

        await chat.PressAsync(ratios.MessageId, "img:a:16:9");
        var confirmation = await chat.WaitForAsync(confirm, ratios.MessageId);
        Assert.Contains("a banana astronaut on the moon", confirmation.Text);
        Assert.Contains("16:9", confirmation.Text);
        Assert.True(prompt.MessageId < confirmation.MessageId);

        // Output sizes are buttons; 4K is priced higher and the card shows it after the tap.
        Assert.Equal(["img:o:1K", "img:o:2K", "img:o:4K"], confirmation.InlineKeyboard![1].Select(b => b.CallbackData));
        await chat.PressAsync(confirmation.MessageId, "img:o:4K");
        var at4k = await chat.WaitForAsync(confirm.Replace("30", "55", StringComparison.Ordinal), ratios.MessageId, minEditCount: 1);
        Assert.StartsWith("✓ 4K · 55", at4k.InlineKeyboard![1][2].Text, StringComparison.Ordinal);

        // The next Nano Banana Pro draft starts at the size picked last; another model keeps its own default.
        var again = await chat.WaitForAsync(pickTitle, await chat.SayAsync(menuButton));
        await chat.PressAsync(again.MessageId, "img:m:nano-banana-pro");
        var secondCard = await chat.WaitForAsync("Nano Banana Pro", again.MessageId);
        await chat.PressAsync(secondCard.MessageId, secondCard.Button(fromText));
        await chat.WaitForAsync(askPrompt, secondCard.MessageId);
        var secondRatios = await chat.WaitForAsync(aspect, await chat.SayAsync("a second banana astronaut"));
        await chat.PressAsync(secondRatios.MessageId, "img:a:16:9");
        var remembered = await chat.WaitForAsync(confirm.Replace("30", "55", StringComparison.Ordinal), secondRatios.MessageId);
        Assert.StartsWith("✓ 4K · 55", remembered.InlineKeyboard![1][2].Text, StringComparison.Ordinal);
        Assert.StartsWith("1K · 30", remembered.InlineKeyboard![1][0].Text, StringComparison.Ordinal);

        var other = await chat.WaitForAsync(pickTitle, await chat.SayAsync(menuButton));
        await chat.PressAsync(other.MessageId, "img:m:nano-banana-2");
        var otherCard = await chat.WaitForAsync("Nano Banana 2", other.MessageId);
        await chat.PressAsync(otherCard.MessageId, otherCard.Button(fromText));
        await chat.WaitForAsync(askPrompt, otherCard.MessageId);
        var otherRatios = await chat.WaitForAsync(aspect, await chat.SayAsync("a third banana astronaut"));
        await chat.PressAsync(otherRatios.MessageId, "img:a:16:9");
        var otherConfirmation = await chat.WaitForAsync("Nano Banana 2", otherRatios.MessageId);
        Assert.StartsWith("✓ 1K", otherConfirmation.InlineKeyboard![1][0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "📥 14/14 received", "1 extra ignored")]
    [InlineData("ru", "📥 Получено 14/14", "лишние (1) не учтены")]
    public async Task Remix_collects_an_album_in_one_counter_message_and_refuses_extra_photos_politely(string language, string counter, string refused)
    {
        var chat = await fixture.NewChatAsync(language);
        var models = await chat.WaitForAsync("", await chat.SayAsync(language == "ru" ? "🖼 Создать изображение" : "🖼 Create image"));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana-pro");
        var card = await chat.WaitForAsync("Nano Banana Pro", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:r");
        // Nano Banana Pro takes its documented 14 reference photos: the album is collected past Telegram's 10 per album.
        var ask = await chat.WaitForAsync("14", card.MessageId);

        var firstAlbum = await chat.SendPhotosAsync(10);
        await chat.SendPhotosAsync(5);

        var final = await chat.WaitForAsync(refused, firstAlbum[^1]);
        Assert.Contains(counter, final.Text);
        var transcript = await chat.TranscriptAsync();
        // One counter message for the whole album, not one reply per photo.
        Assert.Single(transcript.Messages, m => m.From == "bot" && (m.Text ?? "").Contains(counter[..4], StringComparison.Ordinal));
        Assert.Contains("img:d", final.InlineKeyboard!.SelectMany(r => r).Select(b => b.CallbackData));

        await chat.PressAsync(final.MessageId, "img:d");
        await chat.WaitForAsync(language == "ru" ? "что сделать с вашими фото" : "what to do with your photos", final.MessageId);
    }

    [Theory]
    [InlineData("en", "🎬 Create video", "From a text", "Describe the video", "format", "length", "Sound?", "Generate for 160 credits", "Generate for 360 credits", "cr")]
    [InlineData("ru", "🎬 Создать видео", "По текстовому", "Опишите видео", "формат", "длительность", "Со звуком?", "Создать за 160 кредитов", "Создать за 360 кредитов", "кр")]
    public async Task Create_video_asks_format_duration_and_audio_before_the_price(
        string language, string menuButton, string fromText, string askPrompt, string format, string length, string audio, string confirm,
        string confirm4k, string creditsShort)
    {
        var chat = await fixture.NewChatAsync(language);
        var models = await chat.WaitForAsync("🎬", await chat.SayAsync(menuButton));
        Assert.Contains(models.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData == "vid:m:veo-3-1-fast" && b.Text.Contains("80", StringComparison.Ordinal));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1-fast");
        var card = await chat.WaitForAsync("Veo 3.1 Fast", models.MessageId);
        await chat.PressAsync(card.MessageId, card.Button(fromText));
        var ask = await chat.WaitForAsync(askPrompt, card.MessageId);

        var formats = await chat.WaitForAsync(format, await chat.SayAsync("a cat surfing"));
        Assert.Equal(["vid:a:16:9", "vid:a:9:16"], formats.InlineKeyboard![0].Select(b => b.CallbackData));
        await chat.PressAsync(formats.MessageId, "vid:a:9:16");
        var durations = await chat.WaitForAsync(length, formats.MessageId);
        Assert.Equal(["vid:s:4", "vid:s:6", "vid:s:8"], durations.InlineKeyboard![0].Select(b => b.CallbackData));
        await chat.PressAsync(durations.MessageId, "vid:s:8");
        var sound = await chat.WaitForAsync(audio, durations.MessageId);
        await chat.PressAsync(sound.MessageId, "vid:u:1");

        var confirmation = await chat.WaitForAsync(confirm, sound.MessageId);
        Assert.Contains("9:16", confirmation.Text);
        Assert.True(ask.MessageId < confirmation.MessageId);

        // The sizes are buttons with their price at this length; a tap edits the card with the recomputed price.
        Assert.Equal(["vid:o:720p", "vid:o:1080p", "vid:o:4k"], confirmation.InlineKeyboard![1].Select(b => b.CallbackData));
        Assert.Equal([$"✓ 720p · 160 {creditsShort}", $"1080p · 160 {creditsShort}", $"4k · 360 {creditsShort}"], confirmation.InlineKeyboard[1].Select(b => b.Text));
        await chat.PressAsync(confirmation.MessageId, "vid:o:4k");
        var at4k = await chat.WaitForAsync(confirm4k, sound.MessageId, minEditCount: 1);
        Assert.Equal(confirmation.MessageId, at4k.MessageId);
        Assert.Equal($"✓ 4k · 360 {creditsShort}", at4k.InlineKeyboard![1][2].Text);
        Assert.StartsWith("vid:g:", at4k.InlineKeyboard[0][0].CallbackData, StringComparison.Ordinal);
        Assert.NotEqual(confirmation.InlineKeyboard[0][0].CallbackData, at4k.InlineKeyboard[0][0].CallbackData);
    }

    [Theory]
    [InlineData("en", "🎬 Create video", "From a text", "Describe the video", "format", "length", "Sound?", "Generate for 80 credits", "Generate for 160 credits")]
    [InlineData("ru", "🎬 Создать видео", "По текстовому", "Опишите видео", "формат", "длительность", "Со звуком?", "Создать за 80 кредитов", "Создать за 160 кредитов")]
    public async Task A_size_that_needs_8_seconds_moves_a_shorter_clip_to_8_seconds(
        string language, string menuButton, string fromText, string askPrompt, string format, string length, string audio, string confirm4s, string confirm8s)
    {
        var chat = await fixture.NewChatAsync(language);
        var models = await chat.WaitForAsync("🎬", await chat.SayAsync(menuButton));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1-fast");
        var card = await chat.WaitForAsync("Veo 3.1 Fast", models.MessageId);
        await chat.PressAsync(card.MessageId, card.Button(fromText));
        await chat.WaitForAsync(askPrompt, card.MessageId);
        var formats = await chat.WaitForAsync(format, await chat.SayAsync("a fox in snow"));
        await chat.PressAsync(formats.MessageId, "vid:a:16:9");
        var durations = await chat.WaitForAsync(length, formats.MessageId);
        await chat.PressAsync(durations.MessageId, "vid:s:4");
        var sound = await chat.WaitForAsync(audio, durations.MessageId);
        await chat.PressAsync(sound.MessageId, "vid:u:0");
        var confirmation = await chat.WaitForAsync(confirm4s, sound.MessageId);

        await chat.PressAsync(confirmation.MessageId, "vid:o:1080p");

        var edited = await chat.WaitForAsync(confirm8s, sound.MessageId, minEditCount: 1);
        Assert.Contains("8", edited.Text);
        Assert.StartsWith("✓ 1080p", edited.InlineKeyboard![1][1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Cancelled", "Choose a model")]
    [InlineData("ru", "Отменено", "Выберите модель")]
    public async Task Cancel_and_the_menu_button_leave_any_step(string language, string cancelled, string pickTitle)
    {
        var chat = await fixture.NewChatAsync(language);
        var models = await chat.WaitForAsync(pickTitle, await chat.SayAsync(language == "ru" ? "🖼 Создать изображение" : "🖼 Create image"));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        var ask = await chat.WaitForAsync("✍️", card.MessageId);

        var left = await chat.WaitForAsync(cancelled, await chat.SayAsync("/cancel"));

        // Text after leaving is not taken as a prompt.
        var confused = await chat.WaitForAsync("", await chat.SayAsync("a prompt too late"));
        Assert.DoesNotContain("16:9", confused.Text);

        var again = await chat.WaitForAsync(pickTitle, await chat.SayAsync(language == "ru" ? "🖼 Создать изображение" : "🖼 Create image"));

        // A menu key while a prompt is awaited starts over rather than becoming the prompt.
        await chat.PressAsync(again.MessageId, "img:m:nano-banana");
        card = await chat.WaitForAsync("Nano Banana", again.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.WaitForAsync("✍️", card.MessageId);
        again = await chat.WaitForAsync(pickTitle, await chat.SayAsync(language == "ru" ? "🖼 Создать изображение" : "🖼 Create image"));
        Assert.DoesNotContain((await chat.TranscriptAsync()).Messages, m => (m.Text ?? "").StartsWith("📐", StringComparison.Ordinal));

        var menuPress = await chat.PressAsync(again.MessageId, "menu");
        await chat.WaitForAnswerAsync(menuPress);
        await chat.WaitForAsync("", again.MessageId);
        Assert.True(left.MessageId > ask.MessageId);
    }

    [Fact]
    public async Task Every_callback_is_answered_even_for_stale_buttons()
    {
        var chat = await fixture.NewChatAsync("en");
        var models = await chat.WaitForAsync("Choose a model", await chat.SayAsync("🖼 Create image"));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.SayAsync("/cancel");
        await chat.WaitForAsync("Cancelled", card.MessageId);

        var stale = await chat.PressAsync(card.MessageId, "img:t");
        var answer = await chat.WaitForAnswerAsync(stale);

        Assert.Equal("This button is no longer active.", answer.Text);
    }
}
