using System.Text.Json;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// The options a model offers as buttons, in both languages (ADR 0132): Imagen's number of images on the confirmation
/// card with the price recomputed per tap and every image delivered; Veo's reference photos (collected like albums,
/// 8 s clips only) and its optional last frame.
/// </summary>
public sealed class ModelOptionBotTests(GenerationResultFixture fixture) : IClassFixture<GenerationResultFixture>
{
    private async Task<PlaygroundChat> FundedChatAsync(string language, long credits)
    {
        var chat = await fixture.StartedChatAsync(language, language == "ru" ? "💰 Мой баланс" : "💰 My balance", language == "ru" ? "Баланс: 20 кредитов" : "Balance: 20 credits");
        var admin = fixture.Harness.Chat(GenerationResultFixture.AdminId);
        await admin.WaitForAsync("Done:", await admin.SayAsync($"/grant {chat.UserId} {credits}"));
        return chat;
    }

    [Theory]
    [InlineData("en", "🖼 Create image", "×", "cr", "Generate for 15 credits", "Generate for 60 credits", "Images: 4", "Cost: 60 credits")]
    [InlineData("ru", "🖼 Создать изображение", "шт", "кр", "Создать за 15 кредитов", "Создать за 60 кредитов", "Изображений: 4", "Стоимость: 60 кредитов")]
    public async Task Imagen_offers_one_to_four_images_priced_per_image_and_delivers_all_four(
        string language, string createImage, string pieces, string creditsShort, string confirm1, string confirm4, string summary, string cost)
    {
        var chat = await FundedChatAsync(language, 100);
        var models = await chat.WaitForAsync("🖼", await chat.SayAsync(createImage));
        await chat.PressAsync(models.MessageId, "img:m:imagen-4");
        var card = await chat.WaitForAsync("Imagen 4", models.MessageId);
        Assert.Contains("4", card.Text);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.WaitForAsync("✍️", card.MessageId);
        var ratios = await chat.WaitForAsync("📐", await chat.SayAsync("a lighthouse at dusk"));
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");

        var confirmation = await chat.WaitForAsync(confirm1, ratios.MessageId);
        Assert.Equal(["img:n:1", "img:n:2", "img:n:3", "img:n:4"], confirmation.InlineKeyboard![1].Select(b => b.CallbackData));
        Assert.Equal([$"✓ 1 {pieces} · 15 {creditsShort}", $"2 {pieces} · 30 {creditsShort}", $"3 {pieces} · 45 {creditsShort}", $"4 {pieces} · 60 {creditsShort}"],
            confirmation.InlineKeyboard[1].Select(b => b.Text));

        await chat.PressAsync(confirmation.MessageId, "img:n:4");
        var four = await chat.WaitForAsync(confirm4, ratios.MessageId, minEditCount: 1);
        Assert.Equal(confirmation.MessageId, four.MessageId);
        Assert.Contains(summary, four.Text);
        Assert.Equal($"✓ 4 {pieces} · 60 {creditsShort}", four.InlineKeyboard![1][3].Text);

        await chat.PressAsync(four.MessageId, four.InlineKeyboard[0][0].CallbackData!);
        await fixture.WaitForMediaAsync(chat, "photo", 4);
        await fixture.WaitForMediaAsync(chat, "document", 4);
        var photos = (await fixture.BotMessagesAsync(chat)).Where(m => m.GetProperty("photo").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(4, photos.Count);
        Assert.All(photos, p => Assert.Contains(cost, p.GetProperty("caption").GetString()));

        // The next Imagen draft starts at four images, the count picked last.
        var again = await chat.WaitForAsync("🖼", await chat.SayAsync(createImage));
        await chat.PressAsync(again.MessageId, "img:m:imagen-4");
        var secondCard = await chat.WaitForAsync("Imagen 4", again.MessageId);
        await chat.PressAsync(secondCard.MessageId, "img:t");
        await chat.WaitForAsync("✍️", secondCard.MessageId);
        var secondRatios = await chat.WaitForAsync("📐", await chat.SayAsync("another lighthouse"));
        await chat.PressAsync(secondRatios.MessageId, "img:a:1:1");
        var remembered = await chat.WaitForAsync(confirm4, secondRatios.MessageId);
        Assert.StartsWith("✓ 4", remembered.InlineKeyboard![1][3].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "🖼 Create image", "Generate for 15 credits", "Generate for 60 credits", "Cost: 45 credits", "3 of 4 images", "15 credits are back", "Balance: 55 credits")]
    [InlineData("ru", "🖼 Создать изображение", "Создать за 15 кредитов", "Создать за 60 кредитов", "Стоимость: 45 кредитов", "3 из 4 изображений", "15 кредитов вернулись", "Баланс: 55 кредитов")]
    public async Task Imagen_withholding_one_of_four_images_charges_three_and_says_so(
        string language, string createImage, string confirm1, string confirm4, string cost, string delivered, string back, string balance)
    {
        var chat = await FundedChatAsync(language, 80);
        var models = await chat.WaitForAsync("🖼", await chat.SayAsync(createImage));
        await chat.PressAsync(models.MessageId, "img:m:imagen-4");
        var card = await chat.WaitForAsync("Imagen 4", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.WaitForAsync("✍️", card.MessageId);
        var ratios = await chat.WaitForAsync("📐", await chat.SayAsync("three lighthouses [sandbox:withhold=1]"));
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        var confirmation = await chat.WaitForAsync(confirm1, ratios.MessageId);
        await chat.PressAsync(confirmation.MessageId, "img:n:4");
        var four = await chat.WaitForAsync(confirm4, ratios.MessageId, minEditCount: 1);

        await chat.PressAsync(four.MessageId, four.InlineKeyboard![0][0].CallbackData!);
        await fixture.WaitForMediaAsync(chat, "document", 3);
        var photos = (await fixture.BotMessagesAsync(chat)).Where(m => m.GetProperty("photo").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(3, photos.Count);
        Assert.All(photos, p => Assert.Contains(cost, p.GetProperty("caption").GetString()));
        Assert.All(photos, p => Assert.Contains(delivered, p.GetProperty("caption").GetString()));
        Assert.All(photos, p => Assert.Contains(back, p.GetProperty("caption").GetString()));
        await chat.WaitForBalanceAsync(language == "ru" ? "💰 Мой баланс" : "💰 My balance", balance);
    }

    [Theory]
    [InlineData("en", "🎬 Create video", "From reference images (up to 3)", "8 s", "📥 3/3 received", "1 extra ignored", "Describe the video", "format", "length", "Sound?", "Generate for 400 credits", "Reference images: 3", "Cost: 400 credits")]
    [InlineData("ru", "🎬 Создать видео", "По фото-референсам (до 3)", "8 с", "📥 Получено 3/3", "лишние (1) не учтены", "Опишите видео", "формат", "длительность", "Со звуком?", "Создать за 400 кредитов", "Референсов: 3", "Стоимость: 400 кредитов")]
    public async Task Veo_makes_an_8_second_clip_from_up_to_three_reference_photos(
        string language, string createVideo, string fromReferences, string eightSeconds, string counter, string refused, string askPrompt,
        string format, string length, string sound, string confirm, string summary, string cost)
    {
        var chat = await FundedChatAsync(language, 500);
        var models = await chat.WaitForAsync("🎬", await chat.SayAsync(createVideo));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1");
        var card = await chat.WaitForAsync("Veo 3.1", models.MessageId);
        Assert.Equal("vid:r", card.Button(fromReferences));
        await chat.PressAsync(card.MessageId, "vid:r");
        var ask = await chat.WaitForAsync(eightSeconds, card.MessageId);

        var photos = await chat.SendPhotosAsync(4, side: 64);
        var collected = await chat.WaitForAsync(refused, photos[^1]);
        Assert.Contains(counter, collected.Text);
        await chat.PressAsync(collected.MessageId, "vid:e");
        await chat.WaitForAsync(askPrompt, collected.MessageId);

        var formats = await chat.WaitForAsync(format, await chat.SayAsync("the three of them on a beach"));
        await chat.PressAsync(formats.MessageId, "vid:a:16:9");
        var durations = await chat.WaitForAsync(length, formats.MessageId);
        Assert.Equal(["vid:s:8"], durations.InlineKeyboard![0].Select(b => b.CallbackData));
        await chat.PressAsync(durations.MessageId, "vid:s:8");
        var audio = await chat.WaitForAsync(sound, durations.MessageId);
        await chat.PressAsync(audio.MessageId, "vid:u:1");
        var confirmation = await chat.WaitForAsync(confirm, audio.MessageId);
        Assert.Contains(summary, confirmation.Text);
        Assert.True(ask.MessageId < confirmation.MessageId);

        await chat.PressAsync(confirmation.MessageId, confirmation.InlineKeyboard![0][0].CallbackData!);
        var video = await fixture.WaitForMediaAsync(chat, "video", 1);
        Assert.Contains(cost, video.GetProperty("caption").GetString());
    }

    [Theory]
    [InlineData("en", "🎬 Create video", "Animate an image", "Send one photo", "last frame", "No last frame", "Describe the video", "format", "length", "Sound?", "Generate for 80 credits", "Ends on your last frame")]
    [InlineData("ru", "🎬 Создать видео", "Оживить изображение", "Пришлите одно фото", "последнего кадра", "Без последнего кадра", "Опишите видео", "формат", "длительность", "Со звуком?", "Создать за 80 кредитов", "Заканчивается вашим последним кадром")]
    public async Task Veo_takes_an_optional_last_frame_after_the_first(
        string language, string createVideo, string fromImage, string sendPhoto, string askLast, string skip, string askPrompt,
        string format, string length, string sound, string confirm, string summary)
    {
        var chat = await FundedChatAsync(language, 200);
        var models = await chat.WaitForAsync("🎬", await chat.SayAsync(createVideo));
        await chat.PressAsync(models.MessageId, "vid:m:veo-3-1-fast");
        var card = await chat.WaitForAsync("Veo 3.1 Fast", models.MessageId);
        await chat.PressAsync(card.MessageId, card.Button(fromImage));
        await chat.WaitForAsync(sendPhoto, card.MessageId);

        var first = await chat.SendPhotosAsync(1, side: 64);
        var lastFrame = await chat.WaitForAsync(askLast, first[^1]);
        Assert.Equal("vid:l", lastFrame.Button(skip));
        var last = await chat.SendPhotosAsync(1, side: 96);
        await chat.WaitForAsync(askPrompt, last[^1]);

        var formats = await chat.WaitForAsync(format, await chat.SayAsync("a bud opening into a flower"));
        await chat.PressAsync(formats.MessageId, "vid:a:9:16");
        var durations = await chat.WaitForAsync(length, formats.MessageId);
        await chat.PressAsync(durations.MessageId, "vid:s:4");
        var audio = await chat.WaitForAsync(sound, durations.MessageId);
        await chat.PressAsync(audio.MessageId, "vid:u:0");
        var confirmation = await chat.WaitForAsync(confirm, audio.MessageId);
        Assert.Contains(summary, confirmation.Text);

        await chat.PressAsync(confirmation.MessageId, confirmation.InlineKeyboard![0][0].CallbackData!);
        await fixture.WaitForMediaAsync(chat, "video", 1);
    }
}
