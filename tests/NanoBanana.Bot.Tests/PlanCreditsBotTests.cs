using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Options.V1;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>
/// Plan credits that expire (ADR 0161) in the chat, both languages: with PRO's rollover switched off, ⭐ Plans says
/// the period's credits expire and FREE's monthly allowance; after subscribing, 💰 My balance and ⭐ Plans say how
/// many plan credits the balance holds and until when.
/// </summary>
public sealed class PlanCreditsBotTests(PaymentFixture fixture) : IClassFixture<PaymentFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var admin = Principal.ForApiKey("test-admin", Role.Admin);
        var pro = (await fixture.Host.SendAsync(admin, new ListAllPlansRequest())).Value.Plans.Single(p => p.Id == "pro");
        pro.CreditsRollover = false;
        Assert.True((await fixture.Host.SendAsync(admin, new UpsertPlanRequest { Plan = pro })).IsSuccess);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("en", "⭐ Plans", "+350 credits every period (unspent ones expire at its end)", "10 free credits every month (they do not carry over)",
        "PRO is active until", "💰 My balance", "Balance: 370 credits", "350 of them are plan credits until", "Your plan credits: 350 until")]
    [InlineData("ru", "⭐ Тарифы", "+350 кредитов за каждый период (неизрасходованные сгорают в его конце)", "10 бесплатных кредитов каждый месяц (не переносятся)",
        "PRO подключён до", "💰 Мой баланс", "Баланс: 370 кредитов", "Из них 350 — кредиты тарифа до", "Ваши кредиты тарифа: 350 до")]
    public async Task Plans_and_balance_show_the_plan_credits_that_expire_and_the_free_allowance(
        string language, string plansButton, string proCredits, string freeAllowance, string activated, string balanceButton, string balanceLine, string planCredits, string planCreditsLeft)
    {
        var chat = await fixture.NewChatAsync(language);

        var overview = await chat.WaitForAsync(proCredits, await chat.SayAsync(plansButton));
        Assert.Contains(freeAllowance, overview.Text, StringComparison.Ordinal);
        await chat.PressAsync(overview.MessageId, "plans:sub:pro");
        var invoice = await chat.WaitForAsync("Telegram Stars", overview.MessageId);
        var paid = await fixture.PayAsync(chat.UserId, invoiceLink: invoice.InlineKeyboard!.SelectMany(r => r).Single(b => b.Url is not null).Url!);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var receipt = await chat.WaitForAsync(activated, invoice.MessageId);
        var text = receipt.Text!;
        var until = text[(text.IndexOf(activated, StringComparison.Ordinal) + activated.Length)..].Trim()[..10];

        var balance = await chat.WaitForBalanceAsync(balanceButton, balanceLine);
        Assert.Contains($"{planCredits} {until}", balance.Text, StringComparison.Ordinal);
        var plans = await chat.WaitForAsync(planCreditsLeft, await chat.SayAsync("/plans"));
        Assert.Contains($"{planCreditsLeft} {until}", plans.Text, StringComparison.Ordinal);
    }
}
