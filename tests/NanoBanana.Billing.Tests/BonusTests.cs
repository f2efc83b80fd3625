using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Integration;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class BonusTests(BillingHost billing) : IClassFixture<BillingHost>
{
    private async Task<long> RegisterAsync(long referrerId = 0)
    {
        var user = billing.NewUser();
        await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(
            new UserRegistered { UserId = user, ReferrerId = referrerId, LanguageCode = "ru", RegisteredAt = Timestamp.FromDateTimeOffset(billing.Clock.GetUtcNow()) },
            Guid.NewGuid());
        return user;
    }

    private Task PayAsync(long user, string orderId, long credits, long bonusCredits = 0, Guid? eventId = null) =>
        billing.DeliverAsync<PaymentSucceeded, CreditPaidTopUp>(
            new PaymentSucceeded { OrderId = orderId, UserId = user, PackageId = "p", Credits = credits, BonusCredits = bonusCredits, AmountMinor = 10_000, Currency = "RUB", Method = PaymentMethod.Sandbox },
            eventId ?? Guid.NewGuid());

    private async Task<List<LedgerEntry>> EntriesAsync(long user) =>
        [.. (await billing.AsAdmin(new GetUserLedgerRequest { UserId = user, PageSize = 100 })).Value.Entries];

    [Fact]
    public async Task Welcome_bonus_is_paid_once_when_the_event_arrives_three_times()
    {
        var user = billing.NewUser();
        var registered = new UserRegistered { UserId = user, LanguageCode = "en" };
        var eventId = Guid.NewGuid();

        await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(registered, eventId);
        await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(registered, eventId);
        await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(registered, Guid.NewGuid()); // republished under a new id

        Assert.Equal(20, (await billing.BalanceAsync(user)).Available);
        Assert.Single(await EntriesAsync(user), e => e.Kind == EntryKind.WelcomeBonus);
    }

    [Fact]
    public async Task Concurrent_duplicate_deliveries_credit_once()
    {
        var user = billing.NewUser();
        var registered = new UserRegistered { UserId = user };
        var eventId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            try
            {
                await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(registered, eventId);
            }
            catch (Npgsql.PostgresException exception) when (exception.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
            {
                // The loser of a simultaneous delivery fails and the dispatcher would retry it: nothing is credited twice.
            }
        })));

        Assert.Equal(20, (await billing.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_top_up_is_credited_once_per_order_with_its_bonus_credits()
    {
        var user = await RegisterAsync();

        await PayAsync(user, $"order-{user}", 100, 15);
        await PayAsync(user, $"order-{user}", 100, 15); // a second event for the same order

        Assert.Equal(20 + 115, (await billing.BalanceAsync(user)).Available);
        Assert.Single(await EntriesAsync(user), e => e.Kind == EntryKind.TopUp);
    }

    [Fact]
    public async Task Referrer_earns_ten_percent_of_each_top_up_and_the_referee_a_one_time_bonus()
    {
        var referrer = await RegisterAsync();
        var referee = await RegisterAsync(referrer);

        await PayAsync(referee, $"a-{referee}", 100, 20);
        await PayAsync(referee, $"b-{referee}", 250);
        await PayAsync(referee, $"b-{referee}", 250);

        Assert.Equal(20 + 120 + 10 + 250, (await billing.BalanceAsync(referee)).Available);
        Assert.Equal(20 + 10 + 25, (await billing.BalanceAsync(referrer)).Available);
        var earnings = await billing.AsModule(new GetReferralEarningsRequest { UserId = referrer });
        Assert.Equal(35, earnings.Value.Credits);
        Assert.Single(await EntriesAsync(referee), e => e.Kind == EntryKind.ReferralBonus);
    }

    [Fact]
    public async Task Self_referral_is_ignored()
    {
        var user = billing.NewUser();
        await billing.DeliverAsync<UserRegistered, PayWelcomeBonus>(new UserRegistered { UserId = user, ReferrerId = user }, Guid.NewGuid());

        await PayAsync(user, $"self-{user}", 100);

        Assert.Equal(120, (await billing.BalanceAsync(user)).Available);
        Assert.Equal(0, (await billing.AsModule(new GetReferralEarningsRequest { UserId = user })).Value.Credits);
    }

    [Fact]
    public async Task First50_adds_half_of_the_first_top_up_only()
    {
        var user = await RegisterAsync();
        var redeemed = await billing.AsUser(user, new RedeemPromoCodeRequest { Code = "first50", Language = "en" });
        Assert.True(redeemed.IsSuccess, redeemed.ToString());
        Assert.Equal(50, redeemed.Value.FirstTopUpPercent);
        Assert.Equal(0, redeemed.Value.Credited);

        await PayAsync(user, $"first-{user}", 200, 20);
        await PayAsync(user, $"second-{user}", 200);

        Assert.Equal(20 + 220 + 100 + 200, (await billing.BalanceAsync(user)).Available);
        Assert.Single(await EntriesAsync(user), e => e.Kind == EntryKind.Promo);
    }

    [Fact]
    public async Task First50_after_a_top_up_is_refused_with_a_clear_message()
    {
        var user = await RegisterAsync();
        await PayAsync(user, $"o-{user}", 100);

        var redeemed = await billing.AsUser(user, new RedeemPromoCodeRequest { Code = "FIRST50", Language = "en" });

        Assert.Equal(ResultStatus.Conflict, redeemed.Status);
        Assert.Contains("first top-up only", redeemed.Errors.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_payment_events_credit_nothing()
    {
        var user = await RegisterAsync();

        await PayAsync(user, string.Empty, 100);
        await PayAsync(user, $"neg-{user}", -5);

        Assert.Equal(20, (await billing.BalanceAsync(user)).Available);
    }
}
