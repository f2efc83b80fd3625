using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// ⭐ Plans through the playground's Bot API emulator: compare, subscribe with a Stars subscription invoice link,
/// the period credited once (a redelivered update credits nothing), a renewal crediting again and moving the
/// date, cancelling the renewal (Telegram then renews nothing), and the daily limit's message.
/// </summary>
public sealed class PlanTests(PaymentFixture fixture) : IClassFixture<PaymentFixture>
{
    [Theory]
    [InlineData("en", "⭐ Plans", "Your plan: FREE", "PRO is active until", "Your balance: 370 credits", "Balance: 370 credits", "PRO renewed until", "Your balance: 720 credits", "renews on", "Renewal cancelled", "until")]
    [InlineData("ru", "⭐ Тарифы", "Ваш тариф: FREE", "PRO подключён до", "Ваш баланс: 370 кредитов", "Баланс: 370 кредитов", "PRO продлён до", "Ваш баланс: 720 кредитов", "продление", "Продление отменено", "действует до")]
    public async Task Subscribing_credits_each_paid_period_once_and_cancelling_stops_the_renewals(
        string language, string plansButton, string freeLine, string activated, string activatedBalance, string balanceLine, string renewed, string renewedBalance, string renewsOn, string cancelled, string stillRuns)
    {
        var chat = await fixture.NewChatAsync(language);

        var overview = await chat.WaitForAsync(freeLine, await chat.SayAsync(plansButton));
        Assert.Contains("CREATOR", overview.Text, StringComparison.Ordinal);
        Assert.Contains("270 ⭐", overview.Text, StringComparison.Ordinal);
        await chat.PressAsync(overview.MessageId, "plans:sub:pro");
        var invoice = await chat.WaitForAsync("Telegram Stars", overview.MessageId);
        var link = invoice.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!;

        var paid = await fixture.PayAsync(chat.UserId, invoiceLink: link);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var charge = paid.GetProperty("telegram_payment_charge_id").GetString()!;
        var receipt = await chat.WaitForAsync(activated, invoice.MessageId);
        Assert.Contains(activatedBalance, receipt.Text, StringComparison.Ordinal);

        // Telegram redelivers the same payment as a new update: nothing more is credited or said.
        var subscription = (await fixture.Host.SendAsync(Principal.ForUser(chat.UserId), new GetMySubscriptionRequest())).Value.Subscription;
        var duplicate = Updates.NextId();
        Assert.True((await Updates.PostAsync(fixture.Webhook, SubscriptionPayment(duplicate, chat.UserId, language, "sub:" + Guid.Parse(subscription.Id).ToString("N"), charge))).IsSuccessStatusCode);
        var balance = await chat.WaitForBalanceAsync("/balance", balanceLine);

        // The next period, billed by Telegram: credited again, the date moves on.
        var renewal = await RenewAsync(chat.UserId, charge);
        Assert.Equal("paid", renewal.GetProperty("status").GetString());
        var renewedReceipt = await chat.WaitForAsync(renewed, balance.MessageId);
        Assert.Contains(renewedBalance, renewedReceipt.Text, StringComparison.Ordinal);

        var current = await chat.WaitForAsync(renewsOn, await chat.SayAsync("/plans"));
        await chat.PressAsync(current.MessageId, "plans:cancel");
        var cancellation = await chat.WaitForAsync(cancelled, current.MessageId);
        Assert.Contains(stillRuns, cancellation.Text, StringComparison.Ordinal);
        var afterCancel = await RenewAsync(chat.UserId, charge);
        Assert.Equal("canceled", afterCancel.GetProperty("status").GetString());

        var transcript = await chat.TranscriptAsync();
        Assert.Equal(1, transcript.Messages.Count(m => m.Text?.Contains(activated, StringComparison.Ordinal) == true));
        Assert.Equal(1, transcript.Messages.Count(m => m.Text?.Contains(renewed, StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("en", "You already have a plan")]
    [InlineData("ru", "У вас уже есть тариф")]
    public async Task A_second_plan_while_one_runs_is_refused_with_an_alert(string language, string refusal)
    {
        var chat = await fixture.NewChatAsync(language);
        var overview = await chat.WaitForAsync("CREATOR", await chat.SayAsync("/plans"));
        await chat.PressAsync(overview.MessageId, "plans:sub:pro");
        var invoice = await chat.WaitForAsync("Telegram Stars", overview.MessageId);
        await fixture.PayAsync(chat.UserId, invoiceLink: invoice.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!);
        await chat.WaitForAsync("PRO", invoice.MessageId);

        // The old overview's button, pressed after the plan started.
        var answer = await chat.WaitForAnswerAsync(await chat.PressAsync(overview.MessageId, "plans:sub:creator"));

        Assert.True(answer.ShowAlert);
        Assert.Contains(refusal, answer.Text, StringComparison.Ordinal);
    }

    private async Task<JsonElement> RenewAsync(long userId, string charge)
    {
        var response = await fixture.Harness.Api.PostAsJsonAsync($"/api/chats/{userId}/subscription-renewals", new Dictionary<string, object?> { ["telegram_payment_charge_id"] = charge });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string SubscriptionPayment(int updateId, long userId, string language, string payload, string charge) => new JsonObject
    {
        ["update_id"] = updateId,
        ["message"] = new JsonObject
        {
            ["message_id"] = Random.Shared.Next(1, 1_000_000),
            ["date"] = 1_795_000_000,
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = "Ann" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ann", ["language_code"] = language },
            ["successful_payment"] = new JsonObject
            {
                ["currency"] = "XTR", ["total_amount"] = 270, ["invoice_payload"] = payload, ["telegram_payment_charge_id"] = charge,
                ["provider_payment_charge_id"] = "", ["is_recurring"] = true, ["is_first_recurring"] = true,
                ["subscription_expiration_date"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds(),
            },
        },
    }.ToJsonString();
}
