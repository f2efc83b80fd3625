using Ardalis.Result;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Users.Tests;

public sealed class UsersAndReferralTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Upsert_is_idempotent_and_refreshes_the_profile()
    {
        var first = await _host.SendAsync(new UpsertTelegramUserRequest { User = new TelegramUser { Id = 1001, FirstName = "Anna", LanguageCode = "ru" } });
        var second = await _host.SendAsync(new UpsertTelegramUserRequest { User = new TelegramUser { Id = 1001, FirstName = "Anya", Username = "anya", LanguageCode = "ru", IsPremium = true } });

        Assert.True(first.Value.IsNew);
        Assert.False(second.Value.IsNew);
        Assert.Equal("Anya", second.Value.User.FirstName);
        Assert.True(second.Value.User.IsPremium);
        Assert.Equal(first.Value.User.ReferralCode, second.Value.User.ReferralCode);
        Assert.Matches("^[0-9A-Za-z]{8}$", first.Value.User.ReferralCode);
        Assert.Single(await _host.RegisteredEventsAsync(), e => e.UserId == 1001);
    }

    [Fact]
    public async Task Fifty_concurrent_upserts_of_one_new_user_register_it_exactly_once()
    {
        const long userId = 2002;
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            _host.SendAsync(new UpsertTelegramUserRequest { User = new TelegramUser { Id = userId, FirstName = "Racer" } }))));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Single(results, r => r.Value.IsNew);
        Assert.Single(await _host.RegisteredEventsAsync(), e => e.UserId == userId);
    }

    [Fact]
    public async Task A_new_user_arriving_by_a_referral_link_records_and_publishes_the_referrer()
    {
        var referrer = await _host.UpsertAsync(3001);

        var referee = await _host.UpsertAsync(3002, "ref_" + referrer.ReferralCode);

        Assert.Equal(3001, referee.ReferrerId);
        Assert.Equal(3001, (await _host.RegisteredEventsAsync()).Single(e => e.UserId == 3002).ReferrerId);
        var info = await _host.SendAsync(new GetMyReferralInfoRequest(), BuildingBlocks.Security.Principal.ForUser(3001));
        Assert.Equal(1, info.Value.RefereeCount);
        Assert.Equal($"https://t.me/nanobanana_test_bot?start=ref_{referrer.ReferralCode}", info.Value.Link);
        Assert.Equal(0, info.Value.CreditsEarned);

        // Billing owns the figure: a referral reward it books shows up in the referrer's info.
        var reward = await _host.SendAsync(new Billing.Contracts.V1.CreditRequest
        {
            UserId = 3001,
            Amount = 15,
            Kind = Billing.Contracts.V1.EntryKind.ReferralReward,
            IdempotencyKey = "referral-test:3002",
            Reference = "order-1",
        });
        Assert.True(reward.IsSuccess, reward.ToString());
        var after = await _host.SendAsync(new GetMyReferralInfoRequest(), BuildingBlocks.Security.Principal.ForUser(3001));
        Assert.Equal(15, after.Value.CreditsEarned);
    }

    [Fact]
    public async Task A_user_never_refers_themself()
    {
        var user = await _host.UpsertAsync(4001);

        var again = await _host.UpsertAsync(4001, "ref_" + user.ReferralCode);

        Assert.Equal(0, again.ReferrerId);
    }

    [Fact]
    public async Task A_referral_never_closes_a_cycle()
    {
        var a = await _host.UpsertAsync(5001);
        var b = await _host.UpsertAsync(5002, "ref_" + a.ReferralCode);

        var aAgain = await _host.UpsertAsync(5001, "ref_" + b.ReferralCode);

        Assert.Equal(5001, b.ReferrerId);
        Assert.Equal(0, aAgain.ReferrerId);
    }

    [Fact]
    public async Task A_recorded_referrer_is_never_changed()
    {
        var a = await _host.UpsertAsync(6001);
        var c = await _host.UpsertAsync(6003);
        await _host.UpsertAsync(6002, "ref_" + a.ReferralCode);

        var b = await _host.UpsertAsync(6002, "ref_" + c.ReferralCode);

        Assert.Equal(6001, b.ReferrerId);
    }

    [Fact]
    public async Task A_user_who_existed_before_the_link_never_gets_a_referrer()
    {
        var a = await _host.UpsertAsync(7001);
        await _host.UpsertAsync(7002);

        var existing = await _host.UpsertAsync(7002, "ref_" + a.ReferralCode);

        Assert.Equal(0, existing.ReferrerId);
        Assert.Equal(0, (await _host.RegisteredEventsAsync()).Single(e => e.UserId == 7002).ReferrerId);
    }

    [Fact]
    public async Task Unknown_or_malformed_codes_create_the_user_without_a_referrer()
    {
        var unknown = await _host.UpsertAsync(8001, "ref_ZZZZZZZZ");
        var malformed = await _host.UpsertAsync(8002, "ref_'; DROP TABLE users.users; --");

        Assert.Equal(0, unknown.ReferrerId);
        Assert.Equal(0, malformed.ReferrerId);
    }

    [Fact]
    public async Task Support_tools_search_by_id_and_username_prefix_ban_and_set_roles()
    {
        await _host.UpsertAsync(9001);
        await _host.UpsertAsync(9002);
        await _host.SendAsync(new UpsertTelegramUserRequest { User = new TelegramUser { Id = 9100, FirstName = "X", Username = "Under_Score" } });

        var byPrefix = await _host.SendAsync(new SearchUsersRequest { Query = "@USER900" });
        var byId = await _host.SendAsync(new SearchUsersRequest { Query = "9002" });
        var likeEscaped = await _host.SendAsync(new SearchUsersRequest { Query = "under_" });
        var wildcard = await _host.SendAsync(new SearchUsersRequest { Query = "%" });
        var banned = await _host.SendAsync(new BanUserRequest { UserId = 9001, Reason = "fraud" });
        var roles = await _host.SendAsync(new SetRolesRequest { UserId = 9002, Roles = { UserRole.Support, UserRole.Admin, UserRole.Support } });
        var missing = await _host.SendAsync(new BanUserRequest { UserId = 1, Reason = "x" });

        Assert.Equal([9001L, 9002L], byPrefix.Value.Users.Select(u => u.Id));
        Assert.Equal(9002, byId.Value.Users.Single().Id);
        Assert.Equal(9100, likeEscaped.Value.Users.Single().Id);
        Assert.Empty(wildcard.Value.Users);
        Assert.True(banned.Value.User.Banned);
        Assert.Equal("fraud", banned.Value.User.BanReason);
        Assert.Equal([UserRole.Admin, UserRole.Support], roles.Value.User.Roles);
        Assert.Equal(ResultStatus.NotFound, missing.Status);
    }

    [Fact]
    public async Task Blocking_the_bot_is_recorded_and_shown_to_the_user()
    {
        await _host.UpsertAsync(9501);

        await _host.SendAsync(new RecordChatMemberStatusRequest { UserId = 9501, BlockedBot = true });
        var me = await _host.SendAsync(new GetMeRequest(), BuildingBlocks.Security.Principal.ForUser(9501));

        Assert.True(me.Value.User.BlockedBot);
    }

    [Fact]
    public async Task Settings_accept_catalog_models_of_the_right_kind_only()
    {
        await _host.UpsertAsync(9601);
        var me = BuildingBlocks.Security.Principal.ForUser(9601);

        var ok = await _host.SendAsync(new UpdateMySettingsRequest { Settings = new UserSettings { PreferredImageModel = "nano-banana", PreferredVideoModel = "veo-3-1-fast", AspectRatio = "16:9", InterfaceLanguage = InterfaceLanguage.En } }, me);
        var wrongKind = await _host.SendAsync(new UpdateMySettingsRequest { Settings = new UserSettings { PreferredImageModel = "veo-3-1" } }, me);
        var badRatio = await _host.SendAsync(new UpdateMySettingsRequest { Settings = new UserSettings { AspectRatio = "wide" } }, me);
        var stored = await _host.SendAsync(new GetMeRequest(), me);

        Assert.True(ok.IsSuccess);
        Assert.Equal(ResultStatus.Invalid, wrongKind.Status);
        Assert.Contains(wrongKind.ValidationErrors, e => e.Identifier == "settings.preferred_image_model");
        Assert.Equal(ResultStatus.Invalid, badRatio.Status);
        Assert.Equal("veo-3-1-fast", stored.Value.User.Settings.PreferredVideoModel);
        Assert.Equal(InterfaceLanguage.En, stored.Value.User.Settings.InterfaceLanguage);
    }
}
