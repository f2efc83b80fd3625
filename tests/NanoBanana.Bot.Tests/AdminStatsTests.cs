using System.Globalization;
using System.Net.Http.Json;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>One database with known activity (the figures are absolute): two admins, two users, two jobs, one Stars top-up.</summary>
public sealed class AdminStatsFixture : IAsyncLifetime
{
    public const long EnglishAdmin = 81_001;
    public const long RussianAdmin = 81_002;

    public BotHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_stats"));
        await Harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Bot:AdminIds:0"] = EnglishAdmin.ToString(CultureInfo.InvariantCulture),
            ["Bot:AdminIds:1"] = RussianAdmin.ToString(CultureInfo.InvariantCulture),
        });
        foreach (var (id, language) in new[] { (EnglishAdmin, "en"), (RussianAdmin, "ru"), (81_010L, "en"), (81_011L, "ru") })
        {
            var chat = Harness.Chat(id);
            await chat.CreateUserAsync(language);
            await chat.WaitForAsync("🎁", await chat.SayAsync("/start"));
        }

        // One image job succeeds (10 credits), one fails on the sandbox's safety marker (refunded).
        var user = Harness.Chat(81_010);
        var succeeded = await GenerationResultFixture.ImageConfirmationAsync(user, "🖼 Create image", "a yellow banana");
        await user.PressAsync(succeeded.MessageId, succeeded.InlineKeyboard![0][0].CallbackData!);
        await user.WaitForAsync("Cost: 10 credits", succeeded.MessageId);
        await user.WaitForAsync("", await user.SayAsync("/cancel"));
        var failed = await GenerationResultFixture.ImageConfirmationAsync(user, "🖼 Create image", "a banana [sandbox:safety]");
        await user.PressAsync(failed.MessageId, failed.InlineKeyboard![0][0].CallbackData!);
        await user.WaitForAsync("credits are back", failed.MessageId);

        // One Stars top-up through the emulator's wallet.
        (await Harness.Api.PostAsJsonAsync($"/api/users/{user.UserId}/stars", new { stars = 1000 })).EnsureSuccessStatusCode();
        var packages = await user.WaitForAsync("⭐", await user.SayAsync("➕ Top up"));
        await user.PressAsync(packages.MessageId, "top:stars:pack-200");
        var invoice = await user.WaitForAsync("", packages.MessageId);
        (await Harness.Api.PostAsJsonAsync($"/api/chats/{user.UserId}/payments", new Dictionary<string, object?> { ["message_id"] = invoice.MessageId })).EnsureSuccessStatusCode();
        await user.WaitForAsync("Payment received", invoice.MessageId);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>/stats: today's users, generations, credits and revenue, gathered through the modules' use cases.</summary>
public sealed class AdminStatsTests(AdminStatsFixture fixture) : IClassFixture<AdminStatsFixture>
{
    [Theory]
    [InlineData(AdminStatsFixture.EnglishAdmin, "Users: 4 · new today: 4 · blocked the bot: 0", "Generations: 2 · ✅ 1 · ❌ 1 · failure rate 50%", "Credits spent: 10", "• Stars: ", "orders: 1", "0 queued, 0 running")]
    [InlineData(AdminStatsFixture.RussianAdmin, "Пользователи: 4 · новых сегодня: 4 · заблокировали бота: 0", "Генерации: 2 · ✅ 1 · ❌ 1 · доля ошибок 50%", "Потрачено кредитов: 10", "• Stars: ", "заказов: 1", "0 в очереди, 0 в работе")]
    public async Task Stats_show_todays_users_generations_credits_and_revenue(long adminId, string users, string generations, string credits, string stars, string orders, string inFlight)
    {
        var admin = fixture.Harness.Chat(adminId);

        var stats = await admin.WaitForAsync("📊", await admin.SayAsync("/stats"));

        Assert.Contains(users, stats.Text);
        Assert.Contains(generations, stats.Text);
        Assert.Contains(credits, stats.Text);
        var revenue = Assert.Single(stats.Text!.Split('\n'), line => line.StartsWith(stars, StringComparison.Ordinal));
        Assert.Matches(@"\d+ ⭐", revenue);
        Assert.Contains(orders, revenue);
        Assert.Contains(inFlight, stats.Text);
    }

    [Theory]
    [InlineData("UTC", "2026-11-21T22:30:00Z", "2026-11-21T00:00:00Z")]
    [InlineData("Europe/Moscow", "2026-11-21T22:30:00Z", "2026-11-21T21:00:00Z")]
    [InlineData("Europe/Moscow", "2026-11-21T20:59:59Z", "2026-11-20T21:00:00Z")]
    public void Today_starts_at_local_midnight_of_the_configured_zone(string zone, string now, string expected) =>
        Assert.Equal(
            DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture),
            Features.AdminStats.StartOfToday(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone)));
}
