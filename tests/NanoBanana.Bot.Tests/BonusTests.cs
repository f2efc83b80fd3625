using System.Text.RegularExpressions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>The bonuses reachable from 💰 My balance: the daily reward, promo codes and the referral link.</summary>
public sealed partial class BonusTests : IAsyncLifetime
{
    private static long _nextUser = 8_000;
    private BotHarness _harness = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _harness = await BotHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("bot_bonus"));
        _host = await _harness.StartHostAsync();
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("en", "💰 My balance", "Invite friends", "Day 1: +", "Already claimed today")]
    [InlineData("ru", "💰 Мой баланс", "Приглашайте друзей", "День 1: +", "Сегодня бонус уже получен")]
    public async Task The_daily_bonus_is_paid_once_a_day_and_a_second_press_says_to_come_back_tomorrow(
        string language, string balanceButton, string summary, string paid, string already)
    {
        var chat = await StartedChatAsync(language);
        var balance = await chat.WaitForAsync(summary, await chat.SayAsync(balanceButton));

        var first = await chat.WaitForAnswerAsync(await chat.PressAsync(balance.MessageId, "bal:daily"));
        Assert.StartsWith("+", first.Text);
        Assert.False(first.ShowAlert);
        await chat.WaitForAsync(paid, balance.MessageId);

        var second = await chat.WaitForAnswerAsync(await chat.PressAsync(balance.MessageId, "bal:daily"));
        Assert.Contains(already, second.Text);
        Assert.True(second.ShowAlert);
        var transcript = await chat.TranscriptAsync();
        Assert.Single(transcript.Messages, m => (m.Text ?? "").Contains(paid, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "💰 My balance", "Invite friends", "Send the promo code", "Code redeemed: +15 credits", "Balance: 35 credits", "already redeemed", "does not exist")]
    [InlineData("ru", "💰 Мой баланс", "Приглашайте друзей", "Пришлите промокод", "Промокод активирован: +15 кредитов", "Баланс: 35 кредитов", "уже активировали", "не найден")]
    public async Task A_promo_code_typed_in_my_balance_credits_once_and_a_used_or_unknown_code_is_explained(
        string language, string balanceButton, string summary, string ask, string redeemed, string newBalance, string used, string unknown)
    {
        var code = $"BANANA{Interlocked.Increment(ref _nextUser)}";
        await CreatePromoAsync(code, credits: 15);
        var chat = await StartedChatAsync(language);

        var balance = await chat.WaitForAsync(summary, await chat.SayAsync(balanceButton));
        await chat.PressAsync(balance.MessageId, "bal:promo");
        await chat.WaitForAsync(ask, balance.MessageId);
        // Codes match case-insensitively, surrounding spaces ignored.
        await chat.WaitForAsync(redeemed, await chat.SayAsync($"  {code.ToLowerInvariant()} "));
        await chat.WaitForAsync(newBalance, await chat.SayAsync(balanceButton));

        balance = await chat.WaitForAsync(summary, await chat.SayAsync(balanceButton));
        await chat.PressAsync(balance.MessageId, "bal:promo");
        await chat.WaitForAsync(ask, balance.MessageId);
        await chat.WaitForAsync(used, await chat.SayAsync(code));

        balance = await chat.WaitForAsync(summary, await chat.SayAsync(balanceButton));
        await chat.PressAsync(balance.MessageId, "bal:promo");
        await chat.WaitForAsync(ask, balance.MessageId);
        await chat.WaitForAsync(unknown, await chat.SayAsync("NO-SUCH-CODE"));
        await chat.WaitForAsync(newBalance, await chat.SayAsync(balanceButton));
    }

    [Fact]
    public async Task A_friend_starting_with_the_referral_link_counts_in_the_inviters_figures_and_a_repeated_start_does_not()
    {
        var inviter = await StartedChatAsync("en");
        var figures = await inviter.WaitForAsync("Invite friends", await inviter.SayAsync("💰 My balance"));
        Assert.Contains("Invited: 0", figures.Text);
        var code = ReferralCode().Match(figures.Text!).Groups[1].Value;
        Assert.NotEmpty(code);

        var friend = _harness.Chat(Interlocked.Increment(ref _nextUser));
        await friend.CreateUserAsync("ru", "Boris");
        await friend.WaitForAsync("Приветственный бонус", await friend.SayAsync($"/start ref_{code}"));
        await friend.WaitForAsync("Boris", await friend.SayAsync($"/start ref_{code}"));

        // The inviter cannot refer themselves, and a second start of the friend counts nothing.
        await inviter.WaitForAsync("Ann", await inviter.SayAsync($"/start ref_{code}"));
        var after = await inviter.WaitForAsync("Invite friends", await inviter.SayAsync("💰 My balance"));
        Assert.Contains("Invited: 1", after.Text);
    }

    private async Task<PlaygroundChat> StartedChatAsync(string language)
    {
        var chat = _harness.Chat(Interlocked.Increment(ref _nextUser));
        await chat.CreateUserAsync(language);
        await chat.WaitForAsync(language == "ru" ? "Приветственный бонус" : "Welcome bonus", await chat.SayAsync("/start"));
        return chat;
    }

    private async Task CreatePromoAsync(string code, long credits)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallContext>().Principal = Principal.Module;
        var created = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CreatePromoCodeRequest
        {
            PromoCode = new PromoCode { Code = code, Kind = PromoKind.FixedCredits, Credits = credits, Active = true },
        });
        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Concat(created.ValidationErrors.Select(e => e.ErrorMessage))));
    }

    [GeneratedRegex(@"ref_([A-Za-z0-9_-]+)")]
    private static partial Regex ReferralCode();
}
