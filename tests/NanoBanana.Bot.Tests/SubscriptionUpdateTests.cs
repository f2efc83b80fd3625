using System.Net.Http.Json;
using System.Text.Json;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Options.V1;
using NanoBanana.Payments.Contracts.V1;
using Npgsql;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// Telegram's `subscription` updates through the playground's Bot API emulator (ADR 0153): the user cancels and
/// re-enables their Stars plan in Telegram, a renewal payment fails — each reflected in our record and in ⭐ Plans,
/// told once; and the daily job limit's message leading to ⭐ Plans. Its own fixture (database): the free plan's
/// daily limit is lowered here.
/// </summary>
public sealed class SubscriptionUpdateTests(PaymentFixture fixture) : IClassFixture<PaymentFixture>
{
    private static readonly Principal Admin = Principal.ForApiKey("subscription-update-tests", Role.Admin);

    [Theory]
    [InlineData("en", "PRO is active until", "You cancelled the renewal of PRO in Telegram", "Renewal of PRO is back on", "renews on")]
    [InlineData("ru", "PRO подключён до", "Вы отменили продление тарифа PRO в Telegram", "Продление тарифа PRO снова включено", "продление")]
    public async Task Cancelling_and_re_enabling_in_Telegram_is_recorded_told_once_and_shown_in_plans(
        string language, string activated, string cancelledInTelegram, string resumedInTelegram, string renewsOn)
    {
        var (chat, charge, receipt) = await SubscribeAsync(language, activated);

        await ChangeAsync(chat.UserId, charge, "canceled");
        var cancelled = await chat.WaitForAsync(cancelledInTelegram, receipt.MessageId);
        var subscription = await SubscriptionAsync(chat.UserId);
        Assert.True(subscription.Canceled);
        Assert.False(subscription.RenewalFailed);
        // Telegram renews nothing the user cancelled.
        Assert.Equal("canceled", (await RenewAsync(chat.UserId, charge)).GetProperty("status").GetString());
        var plans = await chat.WaitForAsync("PRO", await chat.SayAsync("/plans"));
        Assert.DoesNotContain("plans:cancel", plans.InlineKeyboard!.SelectMany(r => r).Select(b => b.CallbackData));

        await ChangeAsync(chat.UserId, charge, "active");
        await chat.WaitForAsync(resumedInTelegram, cancelled.MessageId);
        Assert.False((await SubscriptionAsync(chat.UserId)).Canceled);
        var renewing = await chat.WaitForAsync(renewsOn, await chat.SayAsync("/plans"));
        Assert.Contains("plans:cancel", renewing.InlineKeyboard!.SelectMany(r => r).Select(b => b.CallbackData));
        Assert.Equal("paid", (await RenewAsync(chat.UserId, charge)).GetProperty("status").GetString());

        // The same state again (a repeated update) changes nothing and says nothing.
        await ChangeAsync(chat.UserId, charge, "active");
        await chat.WaitForAsync("", await chat.SayAsync("/balance"));
        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => m.Text?.Contains(cancelledInTelegram, StringComparison.Ordinal) == true);
        Assert.Single(transcript.Messages, m => m.Text?.Contains(resumedInTelegram, StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("en", "PRO is active until", "Telegram could not charge the renewal of PRO", "keep every credit", "The last renewal payment failed", "Your plan: FREE", "Balance: 370 credits")]
    [InlineData("ru", "PRO подключён до", "Telegram не смог списать оплату за продление тарифа PRO", "все ваши кредиты сохранятся", "Последняя оплата продления не прошла", "Ваш тариф: FREE", "Баланс: 370 кредитов")]
    public async Task A_failed_renewal_tells_the_user_and_leaves_them_on_free_at_period_end_with_their_credits(
        string language, string activated, string failed, string creditsKept, string failedLine, string freeLine, string balanceLine)
    {
        var (chat, charge, receipt) = await SubscribeAsync(language, activated);

        await ChangeAsync(chat.UserId, charge, "failed");
        var notice = await chat.WaitForAsync(failed, receipt.MessageId);
        Assert.Contains(creditsKept, notice.Text, StringComparison.Ordinal);
        var subscription = await SubscriptionAsync(chat.UserId);
        Assert.True(subscription.RenewalFailed);
        Assert.Equal("payment_failed", subscription.FailureReason);
        var plans = await chat.WaitForAsync(failedLine, await chat.SayAsync("/plans"));
        // Nothing to switch back on: the next period was not paid.
        Assert.DoesNotContain(plans.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData is "plans:resume" or "plans:cancel");

        // The paid period runs out (as if 30 days passed): FREE, and the period's credits stay.
        await ExpireAsync(chat.UserId);
        await chat.WaitForAsync(freeLine, await chat.SayAsync("/plans"));
        await chat.WaitForAsync(balanceLine, await chat.SayAsync("/balance"));
    }

    [Theory]
    [InlineData("en", "🖼 Create image", "Choose a model", "aspect ratio", "Generate for 10 credits", "Started!", "You have started 1 jobs today, the daily limit of your FREE plan", "⭐ Plans", "Your plan: FREE")]
    [InlineData("ru", "🖼 Создать изображение", "Выберите модель", "соотношение сторон", "Создать за 10 кредитов", "Запущено!", "Сегодня вы запустили уже 1 задач — это дневной лимит тарифа FREE", "⭐ Тарифы", "Ваш тариф: FREE")]
    public async Task The_daily_job_limit_refuses_the_next_job_with_a_message_that_leads_to_plans(
        string language, string createImage, string pickModel, string pickAspect, string confirmText, string started, string limitText, string plansButton, string freeLine)
    {
        await SetFreeDailyLimitAsync(1);
        var chat = await fixture.NewChatAsync(language);

        var first = await ConfirmImageAsync(chat, createImage, pickModel, pickAspect, confirmText);
        Assert.Equal(started, (await chat.WaitForAnswerAsync(await chat.PressAsync(first.MessageId, first.Button("✅")))).Text);

        var second = await ConfirmImageAsync(chat, createImage, pickModel, pickAspect, confirmText);
        await chat.PressAsync(second.MessageId, second.Button("✅"));
        var refusal = await chat.WaitForAsync(limitText, second.MessageId);
        var toPlans = refusal.InlineKeyboard!.SelectMany(r => r).Single(b => b.Text == plansButton);
        Assert.Equal("plans:show", toPlans.CallbackData);

        await chat.PressAsync(refusal.MessageId, toPlans.CallbackData!);
        var overview = await chat.WaitForAsync(freeLine, refusal.MessageId);
        Assert.Contains("plans:sub:pro", overview.InlineKeyboard!.SelectMany(r => r).Select(b => b.CallbackData));
        // Nothing was held for the refused job: only the first one's 10 credits are spoken for.
        var balance = (await fixture.Host.SendAsync(Principal.ForUser(chat.UserId), new GetBalanceRequest())).Value.Balance;
        Assert.Equal(10, balance.Available);
    }

    private static async Task<PlaygroundChat.ChatMessage> ConfirmImageAsync(PlaygroundChat chat, string createImage, string pickModel, string pickAspect, string confirmText)
    {
        var models = await chat.WaitForAsync(pickModel, await chat.SayAsync(createImage));
        await chat.PressAsync(models.MessageId, "img:m:nano-banana");
        var card = await chat.WaitForAsync("Nano Banana", models.MessageId);
        await chat.PressAsync(card.MessageId, "img:t");
        await chat.SayAsync("a yellow banana");
        var ratios = await chat.WaitForAsync(pickAspect, card.MessageId);
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        return await chat.WaitForAsync(confirmText, ratios.MessageId);
    }

    private async Task SetFreeDailyLimitAsync(int limit)
    {
        var free = (await fixture.Host.SendAsync(Principal.Module, new GetPlanRequest { Id = "free" })).Value.Plan;
        free.DailyJobLimit = limit;
        var upserted = await fixture.Host.SendAsync(Admin, new UpsertPlanRequest { Plan = free });
        Assert.True(upserted.IsSuccess, upserted.ToString());
    }

    private async Task<(PlaygroundChat Chat, string Charge, PlaygroundChat.ChatMessage Receipt)> SubscribeAsync(string language, string activated)
    {
        var chat = await fixture.NewChatAsync(language);
        var overview = await chat.WaitForAsync("CREATOR", await chat.SayAsync("/plans"));
        await chat.PressAsync(overview.MessageId, "plans:sub:pro");
        var invoice = await chat.WaitForAsync("Telegram Stars", overview.MessageId);
        var paid = await fixture.PayAsync(chat.UserId, invoiceLink: invoice.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!);
        var receipt = await chat.WaitForAsync(activated, invoice.MessageId);
        return (chat, paid.GetProperty("telegram_payment_charge_id").GetString()!, receipt);
    }

    /// <summary>The paid period is over: both records say so (Payments' subscription, Billing's plan), as 30 days later.</summary>
    private async Task ExpireAsync(long userId)
    {
        await using var connection = new NpgsqlConnection(fixture.Harness.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE payments.subscriptions SET expires_at = now() - interval '1 minute' WHERE user_id = @user; UPDATE billing.user_plans SET expires_at = now() - interval '1 minute' WHERE user_id = @user",
            connection);
        command.Parameters.AddWithValue("user", userId);
        Assert.Equal(2, await command.ExecuteNonQueryAsync());
    }

    private async Task<Subscription> SubscriptionAsync(long userId) =>
        (await fixture.Host.SendAsync(Principal.ForUser(userId), new GetMySubscriptionRequest())).Value.Subscription;

    private async Task ChangeAsync(long userId, string charge, string state) =>
        (await fixture.Harness.Api.PostAsJsonAsync($"/api/chats/{userId}/subscription-updates", new Dictionary<string, object?> { ["telegram_payment_charge_id"] = charge, ["state"] = state }))
            .EnsureSuccessStatusCode();

    private async Task<JsonElement> RenewAsync(long userId, string charge)
    {
        var response = await fixture.Harness.Api.PostAsJsonAsync($"/api/chats/{userId}/subscription-renewals", new Dictionary<string, object?> { ["telegram_payment_charge_id"] = charge });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
