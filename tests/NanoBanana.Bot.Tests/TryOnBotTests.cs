using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class TryOnBotFixture : IAsyncLifetime
{
    private static long _nextUser = 95_000;

    public BotHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_tryon"));
        await Harness.StartHostAsync(settings: new Dictionary<string, string?> { ["Generation:Sandbox:Latency"] = "00:00:00" });
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public async Task<PlaygroundChat> StartedChatAsync(string language)
    {
        var chat = Harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync("🎁", await chat.SayAsync("/start"), timeoutMs: 60_000);
        return chat;
    }

    public async Task SetOfferEnabledAsync(bool enabled)
    {
        await using var connection = new NpgsqlConnection(Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE catalog.try_on_offer SET enabled = @enabled", connection);
        command.Parameters.AddWithValue("enabled", enabled);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>👗 Try-on through the playground's Bot API emulator, in both languages, on the offline Sandbox.</summary>
[Collection(TryOnBotCollection.Name)]
public sealed class TryOnBotTests(TryOnBotFixture fixture)
{
    [Theory]
    [InlineData("en", "👗 Try-on", "Price: 2 credits", "photo of the person", "one photo at a time", "not a picture", "What are we trying on?", "👕 Top", "larger than 10 MB", "Try it on for 2 credits?", "✅ Done!", "Cost: 2 credits")]
    [InlineData("ru", "👗 Примерка", "Цена: 2 кр.", "фото человека", "по одному фото", "не картинка", "Что примеряем?", "👕 Верх", "больше 10 МБ", "Примерить за 2 кр.?", "✅ Готово!", "Стоимость: 2 кредитов")]
    public async Task A_person_and_a_garment_come_back_as_one_try_on_after_every_wrong_input_is_explained(
        string language, string menuButton, string price, string sendPerson, string album, string notImage, string pickZone, string top, string tooLarge, string confirm, string done, string cost)
    {
        var chat = await fixture.StartedChatAsync(language);
        var card = await chat.WaitForAsync(price, await chat.SayAsync(menuButton));
        Assert.Contains("24", card.Text);

        // Wrong input for the person photo: text, an album (explained once, none taken), a file that is not a picture.
        await chat.WaitForAsync(sendPerson, await chat.SayAsync("here I am"));
        var albumIds = await chat.SendPhotosAsync(3, side: 32);
        await chat.WaitForAsync(album, albumIds[0]);
        await chat.WaitForAsync(notImage, await chat.SendFileAsync("just some notes"u8.ToArray(), "notes.txt", asVideo: false));
        var afterAlbum = (await chat.TranscriptAsync()).Messages.Count(m => m.From == "bot" && m.Text?.Contains(album, StringComparison.Ordinal) == true);
        Assert.Equal(1, afterAlbum);

        var zones = await chat.WaitForAsync(pickZone, (await chat.SendPhotosAsync(1, side: 64))[0]);
        Assert.Equal(9, zones.InlineKeyboard!.SelectMany(r => r).Count(b => b.CallbackData?.StartsWith("try:z:", StringComparison.Ordinal) == true));
        await chat.PressAsync(zones.MessageId, zones.Button(top));
        await chat.WaitForAsync(top, zones.MessageId);

        // The garment as an image file: an oversized one is refused, a fitting one is taken.
        var png = TestImages.Png(48, 64);
        var oversized = new byte[(10 * 1024 * 1024) + 1];
        png.CopyTo(oversized, 0);
        await chat.WaitForAsync(tooLarge, await chat.SendFileAsync(oversized, "big.png", asVideo: false));
        var confirmation = await chat.WaitForAsync(confirm, await chat.SendFileAsync(png, "shirt.png", asVideo: false));
        Assert.Contains(top, confirmation.Text);

        var tryOn = confirmation.Button("👗");
        await chat.PressAsync(confirmation.MessageId, tryOn);
        await chat.WaitForAsync(done, confirmation.MessageId, timeoutMs: 60_000);
        var second = await chat.WaitForAnswerAsync(await chat.PressAsync(confirmation.MessageId, tryOn));
        Assert.NotNull(second.Text); // "already started": one tap, one job.

        var photo = await WaitForPhotoAsync(chat);
        var caption = photo.GetProperty("caption").GetString()!;
        Assert.Contains(menuButton, caption, StringComparison.Ordinal);
        Assert.Contains(top, caption, StringComparison.Ordinal);
        Assert.Contains(cost, caption, StringComparison.Ordinal);
        Assert.DoesNotContain("Virtual try-on", caption, StringComparison.Ordinal); // The server's instruction is not the user's caption.
        var transcript = await chat.TranscriptAsync();
        var actions = transcript.Messages.Last(m => m.From == "bot" && m.InlineKeyboard is not null);
        Assert.Equal("try:more", actions.Button("👗"));
        Assert.StartsWith("res:v:", actions.Button("🎬"), StringComparison.Ordinal);

        // "Another item on this photo": the person is kept, the zone is asked again.
        await chat.PressAsync(actions.MessageId, "try:more");
        await chat.WaitForAsync(pickZone, actions.MessageId);
    }

    [Theory]
    [InlineData("en", "👗 Try-on", "not available right now")]
    [InlineData("ru", "👗 Примерка", "сейчас недоступна")]
    public async Task Switched_off_it_is_refused_at_the_menu_button(string language, string menuButton, string off)
    {
        var chat = await fixture.StartedChatAsync(language);
        await fixture.SetOfferEnabledAsync(false);
        try
        {
            await chat.WaitForAsync(off, await chat.SayAsync(menuButton));
        }
        finally
        {
            await fixture.SetOfferEnabledAsync(true);
        }
    }

    private async Task<JsonElement> WaitForPhotoAsync(PlaygroundChat chat)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var transcript = await fixture.Harness.Api.GetFromJsonAsync<JsonElement>($"/api/chats/{chat.UserId}/transcript");
            var photo = transcript.GetProperty("messages").EnumerateArray()
                .FirstOrDefault(m => m.GetProperty("from").GetString() == "bot" && m.GetProperty("photo").ValueKind == JsonValueKind.Object);
            if (photo.ValueKind == JsonValueKind.Object)
            {
                return photo;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The try-on result never arrived as a photo.");
    }
}

/// <summary>The tests switch the offer off and on: they share one host and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TryOnBotCollection : ICollectionFixture<TryOnBotFixture>
{
    public const string Name = "try-on bot";
}
