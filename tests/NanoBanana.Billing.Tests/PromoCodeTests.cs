using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class PromoCodeTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private Task<Result<RedeemPromoCodeResponse>> RedeemAsync(long user, string code, string language = "") =>
        billing.AsUser(user, new RedeemPromoCodeRequest { Code = code, Language = language });

    [Fact]
    public async Task Welcome2025_grants_ten_credits_once_and_a_second_try_gets_a_clear_message()
    {
        var user = billing.NewUser();

        var first = await RedeemAsync(user, "WELCOME2025", "ru");
        var second = await RedeemAsync(user, "welcome2025", "ru");
        var english = await RedeemAsync(user, "WELCOME2025", "en");

        Assert.Equal(10, first.Value.Credited);
        Assert.Equal(10, first.Value.Balance.Available);
        Assert.Equal("Промокод активирован: +10 кредитов.", first.Value.Message);
        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.Equal("Вы уже активировали промокод WELCOME2025.", second.Errors.First());
        Assert.Equal("You have already redeemed promo code WELCOME2025.", english.Errors.First());
        Assert.Equal(10, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Total_limit_is_never_exceeded_even_by_simultaneous_redemptions()
    {
        await CreateAsync(new PromoCode { Code = "LIMITED3", Kind = PromoKind.FixedCredits, Credits = 5, MaxRedemptions = 3, Active = true });
        var users = Enumerable.Range(0, 10).Select(_ => billing.NewUser()).ToArray();

        var results = await Task.WhenAll(users.Select(u => Task.Run(() => RedeemAsync(u, "LIMITED3", "en"))));

        Assert.Equal(3, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal("Promo code LIMITED3 has been used up.", r.Errors.First()));
        var listed = await billing.AsAdmin(new ListPromoCodesRequest());
        Assert.Equal(3, listed.Value.PromoCodes.Single(c => c.Code == "LIMITED3").Redemptions);
    }

    [Fact]
    public async Task Per_user_limit_allows_that_many_redemptions()
    {
        await CreateAsync(new PromoCode { Code = "TWICE", Kind = PromoKind.FixedCredits, Credits = 3, PerUserLimit = 2, Active = true });
        var user = billing.NewUser();

        var outcomes = new[] { await RedeemAsync(user, "TWICE"), await RedeemAsync(user, "TWICE"), await RedeemAsync(user, "TWICE") };

        Assert.Equal([true, true, false], outcomes.Select(o => o.IsSuccess));
        Assert.Equal(6, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Codes_outside_their_validity_window_are_refused()
    {
        var now = billing.Clock.GetUtcNow();
        await CreateAsync(new PromoCode { Code = "LATER", Kind = PromoKind.FixedCredits, Credits = 5, Active = true, ValidFrom = Timestamp.FromDateTimeOffset(now.AddDays(1)) });
        await CreateAsync(new PromoCode { Code = "GONE", Kind = PromoKind.FixedCredits, Credits = 5, Active = true, ValidUntil = Timestamp.FromDateTimeOffset(now.AddMinutes(-1)) });
        var user = billing.NewUser();

        Assert.Equal(ResultStatus.Conflict, (await RedeemAsync(user, "LATER")).Status);
        Assert.Equal(ResultStatus.Conflict, (await RedeemAsync(user, "GONE")).Status);
        Assert.Equal(0, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Deactivated_and_unknown_codes_are_not_found()
    {
        await CreateAsync(new PromoCode { Code = "SHORTLIVED", Kind = PromoKind.FixedCredits, Credits = 5, Active = true });
        var deactivated = await billing.AsAdmin(new DeactivatePromoCodeRequest { Code = "shortlived" });
        Assert.False(deactivated.Value.PromoCode.Active);
        var user = billing.NewUser();

        Assert.Equal(ResultStatus.NotFound, (await RedeemAsync(user, "SHORTLIVED")).Status);
        Assert.Equal(ResultStatus.NotFound, (await RedeemAsync(user, "NOSUCHCODE")).Status);
        Assert.DoesNotContain((await billing.AsAdmin(new ListPromoCodesRequest())).Value.PromoCodes, c => c.Code == "SHORTLIVED");
        Assert.Contains((await billing.AsAdmin(new ListPromoCodesRequest { IncludeInactive = true })).Value.PromoCodes, c => c.Code == "SHORTLIVED");
    }

    [Fact]
    public async Task Creating_an_existing_code_conflicts_and_bad_codes_are_invalid()
    {
        var duplicate = await billing.AsAdmin(new CreatePromoCodeRequest { PromoCode = new PromoCode { Code = "welcome2025", Kind = PromoKind.FixedCredits, Credits = 1, Active = true } });
        var invalid = await billing.AsAdmin(new CreatePromoCodeRequest { PromoCode = new PromoCode { Code = "no spaces!", Kind = PromoKind.FirstTopUpPercent, Percent = 0 } });

        Assert.Equal(ResultStatus.Conflict, duplicate.Status);
        Assert.Equal(ResultStatus.Invalid, invalid.Status);
        Assert.Contains(invalid.ValidationErrors, e => e.Identifier == "promo_code.code");
        Assert.Contains(invalid.ValidationErrors, e => e.Identifier == "promo_code.percent");
    }

    [Fact]
    public async Task Redeeming_requires_a_signed_in_user()
    {
        var result = await billing.AsModule(new RedeemPromoCodeRequest { Code = "WELCOME2025" });

        Assert.Equal(ResultStatus.Unauthorized, result.Status);
    }

    private async Task CreateAsync(PromoCode code)
    {
        var created = await billing.AsAdmin(new CreatePromoCodeRequest { PromoCode = code });
        Assert.True(created.IsSuccess, created.ToString());
    }
}
