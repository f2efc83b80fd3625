using System.Globalization;
using System.Net.Http.Json;
using NanoBanana.Testing;
using Npgsql;
using Xunit;

namespace NanoBanana.Bot.Tests;

public sealed class AdminBroadcastFixture : IAsyncLifetime
{
    public const long EnglishAdmin = 91_001;
    public const long RussianAdmin = 91_002;

    /// <summary>Broadcast rows queued per second (and so the most that may wait unsent at once).</summary>
    public const int BroadcastRate = 20;

    private static long _nextUser = 91_100;

    public BotHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_broadcast"));
        await Harness.StartHostAsync(settings: new Dictionary<string, string?>
        {
            ["Bot:AdminIds:0"] = EnglishAdmin.ToString(CultureInfo.InvariantCulture),
            ["Bot:AdminIds:1"] = RussianAdmin.ToString(CultureInfo.InvariantCulture),
            ["Bot:BroadcastMessagesPerSecond"] = AdminBroadcastFixture.BroadcastRate.ToString(CultureInfo.InvariantCulture),
        });
        await NewChatAsync("en", EnglishAdmin);
        await NewChatAsync("ru", RussianAdmin);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    /// <summary>A user who has started the bot.</summary>
    public async Task<PlaygroundChat> NewChatAsync(string language, long? id = null)
    {
        var chat = Harness.Chat(id ?? Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync("🎁", await chat.SayAsync("/start"));
        return chat;
    }

    public async Task SetBlockedAsync(PlaygroundChat chat, bool blocked)
    {
        (await Harness.Api.PostAsJsonAsync($"/api/users/{chat.UserId}/blocked", new { blocked })).EnsureSuccessStatusCode();
        await WaitUntilAsync(async () => await IsBlockedAsync(chat.UserId) == blocked, $"chat {chat.UserId} blocked={blocked}");
    }

    public async Task<bool> IsBlockedAsync(long chatId)
    {
        await using var connection = new NpgsqlConnection(Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT blocked_at IS NOT NULL FROM bot.chats WHERE chat_id = $1", connection);
        command.Parameters.AddWithValue(chatId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Simulates a my_chat_member that never arrived: the bot still thinks the chat is reachable.</summary>
    public async Task ForgetBlockAsync(long chatId)
    {
        await using var connection = new NpgsqlConnection(Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE bot.chats SET blocked_at = NULL WHERE chat_id = $1", connection);
        command.Parameters.AddWithValue(chatId);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        // Bounded wait for background processing; the assertion is on the outcome, not on when.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("Timed out waiting for " + what);
    }
}

/// <summary>/broadcast: preview, confirm once, delivered through the sender to every chat that has not blocked the bot, then a report.</summary>
public sealed class AdminBroadcastTests(AdminBroadcastFixture fixture) : IClassFixture<AdminBroadcastFixture>
{
    [Theory]
    [InlineData("en", "I don't know that command")]
    [InlineData("ru", "Не знаю такой команды")]
    public async Task A_non_admin_gets_the_unknown_command_answer_for_every_admin_command(string language, string unknown)
    {
        var chat = await fixture.NewChatAsync(language);
        var reference = await chat.WaitForAsync(unknown, await chat.SayAsync("/frobnicate"));

        foreach (var command in new[] { "/stats", "/broadcast", "/grant 1 100", "/model off nano-banana" })
        {
            var answer = await chat.WaitForAsync(unknown, await chat.SayAsync(command));
            Assert.Equal(reference.Text, answer.Text);
        }

        // Nothing of the broadcast flow was shown.
        var transcript = await chat.TranscriptAsync();
        Assert.DoesNotContain(transcript.Messages, m => m.Text?.Contains("📣", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_confirmed_broadcast_reaches_each_reachable_user_once_and_skips_the_blocked()
    {
        var english = await fixture.NewChatAsync("en");
        var russian = await fixture.NewChatAsync("ru");
        var blocked = await fixture.NewChatAsync("en");
        await fixture.SetBlockedAsync(blocked, true);
        var admin = fixture.Harness.Chat(AdminBroadcastFixture.EnglishAdmin);

        await admin.WaitForAsync("Send the message for all users", await admin.SayAsync("/broadcast"));
        var sent = await admin.SayAsync("🍌 Veo 3.1 is here!");
        var preview = await admin.WaitForAsync("🍌 Veo 3.1 is here!", sent);
        var confirm = await admin.WaitForAsync("This is exactly what users will get", preview.MessageId);
        var send = confirm.Button("📣 Send to");
        var recipients = int.Parse(System.Text.RegularExpressions.Regex.Match(confirm.Text!, @"Send it to (\d+) users").Groups[1].Value, CultureInfo.InvariantCulture);

        await admin.PressAsync(confirm.MessageId, send);
        var second = await admin.PressAsync(confirm.MessageId, send);
        Assert.Equal("This button is no longer active.", (await admin.WaitForAnswerAsync(second)).Text);
        var report = await admin.WaitForAsync("Broadcast finished", confirm.MessageId, timeoutMs: 60_000);

        Assert.Equal($"📣 Broadcast finished: sent {recipients}, failed 0.", report.Text);
        Assert.Equal(1, await CopiesAsync(english, "🍌 Veo 3.1 is here!"));
        Assert.Equal(1, await CopiesAsync(russian, "🍌 Veo 3.1 is here!"));
        Assert.Equal(0, await CopiesAsync(blocked, "🍌 Veo 3.1 is here!"));
    }

    [Fact]
    public async Task A_cancelled_broadcast_sends_nothing_and_a_photo_goes_out_with_its_caption()
    {
        var user = await fixture.NewChatAsync("en");
        var admin = fixture.Harness.Chat(AdminBroadcastFixture.RussianAdmin);

        await admin.WaitForAsync("Пришлите сообщение для всех", await admin.SayAsync("/broadcast"));
        var draft = await admin.WaitForAsync("Именно так его увидят", await admin.SayAsync("Секретный черновик"));
        await admin.PressAsync(draft.MessageId, draft.Button("✖️ Отмена"));
        await admin.WaitForAsync("Рассылка отменена", draft.MessageId - 1, minEditCount: 1);

        await admin.WaitForAsync("Пришлите сообщение для всех", await admin.SayAsync("/broadcast"));
        var photo = (await admin.SendPhotosAsync(1, "Новая модель!"))[0];
        var confirm = await admin.WaitForAsync("Именно так его увидят", photo);
        await admin.PressAsync(confirm.MessageId, confirm.Button("📣 Отправить"));
        await admin.WaitForAsync("Рассылка завершена", confirm.MessageId, timeoutMs: 60_000);

        var messages = (await user.TranscriptAsync()).Messages;
        Assert.DoesNotContain(messages, m => m.Text?.Contains("Секретный черновик", StringComparison.Ordinal) == true);
        Assert.Single(messages, m => m.Caption == "Новая модель!");
        var adminMessages = (await admin.TranscriptAsync()).Messages;
        Assert.Equal(2, adminMessages.Count(m => m.From == "bot" && m.Caption == "Новая модель!")); // The preview and the admin's own copy.
    }

    [Fact]
    public async Task A_user_who_blocked_the_bot_unnoticed_fails_once_and_is_skipped_from_then_on()
    {
        var gone = await fixture.NewChatAsync("en");
        await fixture.SetBlockedAsync(gone, true);
        await fixture.ForgetBlockAsync(gone.UserId);
        var admin = fixture.Harness.Chat(AdminBroadcastFixture.EnglishAdmin);

        var first = await BroadcastAsync(admin, "First notice");
        await AdminBroadcastFixture.WaitUntilAsync(() => fixture.IsBlockedAsync(gone.UserId), "the 403 marking the chat blocked");
        var second = await BroadcastAsync(admin, "Second notice");

        Assert.Matches(@"sent \d+, failed 1\.", first.Report);
        Assert.Matches(@"sent \d+, failed 0\.", second.Report);
        Assert.Equal(first.Recipients - 1, second.Recipients);
    }

    [Fact]
    public async Task A_large_broadcast_is_queued_a_slice_at_a_time_so_replies_never_wait_behind_all_of_it()
    {
        // 60 chats the bot knows from earlier conversations (rows written directly: no /start needed).
        var chats = Enumerable.Range(0, 60).Select(i => 92_000L + i).ToList();
        foreach (var id in chats)
        {
            await fixture.Harness.Chat(id).CreateUserAsync("en");
        }

        await fixture.ExecuteAsync("INSERT INTO bot.chats (chat_id, user_id, language) SELECT id, id, 'en' FROM unnest($1::bigint[]) id", chats.ToArray());
        var admin = fixture.Harness.Chat(AdminBroadcastFixture.EnglishAdmin);
        await admin.WaitForAsync("Send the message for all users", await admin.SayAsync("/broadcast"));
        var confirm = await admin.WaitForAsync("This is exactly what users will get", await admin.SayAsync("Spring sale"));
        var reportsBefore = await ReportsAsync(admin);
        await admin.PressAsync(confirm.MessageId, confirm.Button("📣 Send to"));

        // Sample the queue until the report arrives (bounded): at no moment does it hold more than one slice.
        long mostWaiting = 0;
        for (var sample = 0; sample < 1200 && await ReportsAsync(admin) == reportsBefore; sample++)
        {
            mostWaiting = Math.Max(mostWaiting, await fixture.ScalarAsync(
                "SELECT count(*) FROM bot.outbound WHERE broadcast_id IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL"));
            await Task.Delay(50);
        }

        Assert.Equal(reportsBefore + 1, await ReportsAsync(admin));
        Assert.InRange(mostWaiting, 0, AdminBroadcastFixture.BroadcastRate);
        foreach (var id in new[] { chats[0], chats[^1] })
        {
            Assert.Equal(1, await CopiesAsync(fixture.Harness.Chat(id), "Spring sale"));
        }
    }

    private static async Task<(int Recipients, string Report)> BroadcastAsync(PlaygroundChat admin, string text)
    {
        await admin.WaitForAsync("Send the message for all users", await admin.SayAsync("/broadcast"));
        var confirm = await admin.WaitForAsync("This is exactly what users will get", await admin.SayAsync(text));
        var recipients = int.Parse(System.Text.RegularExpressions.Regex.Match(confirm.Text!, @"Send it to (\d+) users").Groups[1].Value, CultureInfo.InvariantCulture);
        await admin.PressAsync(confirm.MessageId, confirm.Button("📣 Send to"));
        var report = await admin.WaitForAsync("Broadcast finished", confirm.MessageId, timeoutMs: 60_000);
        return (recipients, report.Text!);
    }

    private static async Task<int> ReportsAsync(PlaygroundChat admin) =>
        (await admin.TranscriptAsync()).Messages.Count(m => m.Text?.StartsWith("📣 Broadcast finished", StringComparison.Ordinal) == true);

    private static async Task<int> CopiesAsync(PlaygroundChat chat, string text) =>
        (await chat.TranscriptAsync()).Messages.Count(m => m.From == "bot" && m.Text == text);
}
