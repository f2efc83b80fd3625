using System.Buffers.Text;
using Ardalis.Result;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Users.Tests;

/// <summary>Mini App sign-in, session tokens and API keys as the transport's authenticator sees them, against a real Host.</summary>
public sealed class AccessTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<SignInWithTelegramResponse> SignInAsync(long userId, string? startParam = null)
    {
        var result = await _host.SendAsync(new SignInWithTelegramRequest { InitData = InitDataFactory.Create(userId, DateTimeOffset.UtcNow.AddMinutes(-1), startParam) }, Principal.Anonymous);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Value;
    }

    [Fact]
    public async Task Valid_init_data_signs_in_and_the_session_reaches_public_methods_as_that_user()
    {
        var signIn = await SignInAsync(11001);

        var decision = await _host.AuthenticateAsync("Bearer " + signIn.SessionToken, UsersHarness.PublicAccess);
        var me = await _host.SendAsync(new GetMeRequest(), decision.Principal);

        Assert.True(signIn.IsNew);
        Assert.Equal(11001, decision.Principal!.UserId);
        Assert.Equal(11001, me.Value.User.Id);
        Assert.Equal("user11001", me.Value.User.Username);
        Assert.False((await SignInAsync(11001)).IsNew);
    }

    [Fact]
    public async Task Only_the_valid_init_data_of_the_matrix_signs_anyone_in()
    {
        var now = DateTimeOffset.UtcNow;
        var tamperedFields = InitDataFactory.Fields(12002, now);
        var hash = InitDataFactory.Hash(tamperedFields);
        tamperedFields["auth_date"] = now.AddSeconds(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] rejected =
        [
            InitDataFactory.Encode(tamperedFields.Append(new("hash", hash))),
            InitDataFactory.Signed(InitDataFactory.Fields(12003, now), "123:wrong-bot-token"),
            InitDataFactory.Encode(InitDataFactory.Fields(12004, now)),
            InitDataFactory.Create(12005, now.AddHours(-25)),
            InitDataFactory.Create(12006, now.AddHours(1)),
            InitDataFactory.Create(12007, now) + "&auth_date=1",
            InitDataFactory.Create(12008, now) + "&bad=%C3%28",
            new string('x', 1024 * 1024),
        ];

        var results = new List<Result<SignInWithTelegramResponse>>();
        foreach (var initData in rejected)
        {
            results.Add(await _host.SendAsync(new SignInWithTelegramRequest { InitData = initData }, Principal.Anonymous));
        }

        Assert.All(results, r => Assert.Contains(r.Status, new[] { ResultStatus.Unauthorized, ResultStatus.Invalid }));
        var search = await _host.SendAsync(new SearchUsersRequest { Query = "user1200" });
        Assert.Empty(search.Value.Users);
        Assert.True((await _host.SendAsync(new SignInWithTelegramRequest { InitData = InitDataFactory.Create(12001, now) }, Principal.Anonymous)).IsSuccess);
    }

    [Fact]
    public async Task Ten_thousand_fuzzed_sign_ins_never_throw_past_the_handler()
    {
        var random = new Random(7);
        var valid = InitDataFactory.Create(13001, DateTimeOffset.UtcNow);
        for (var i = 0; i < 10_000; i++)
        {
            var chars = valid.ToCharArray();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(0, 0x3000);
            }

            var input = i % 2 == 0 ? new string(chars) : new string(chars, 0, random.Next(chars.Length));
            var result = await _host.SendAsync(new SignInWithTelegramRequest { InitData = input }, Principal.Anonymous);

            Assert.NotEqual(ResultStatus.Error, result.Status);
        }
    }

    [Fact]
    public async Task A_users_token_reads_and_changes_only_that_users_data()
    {
        var alice = await SignInAsync(14001);
        var bob = await SignInAsync(14002);
        var asAlice = (await _host.AuthenticateAsync("Bearer " + alice.SessionToken, UsersHarness.PublicAccess)).Principal;

        await _host.SendAsync(new UpdateMySettingsRequest { Settings = new UserSettings { AspectRatio = "9:16" } }, asAlice);

        Assert.Equal("9:16", (await _host.SendAsync(new GetMeRequest(), asAlice)).Value.User.Settings.AspectRatio);
        Assert.Equal("", (await _host.SendAsync(new GetUserRequest { UserId = 14002 })).Value.User.Settings.AspectRatio);

        // Bob's payload under Alice's MAC (and vice versa) is not a token at all.
        var alicePart = alice.SessionToken.Split('.');
        var bobPart = bob.SessionToken.Split('.');
        var forged = $"{bobPart[0]}.{bobPart[1]}.{alicePart[2]}";
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + forged, UsersHarness.PublicAccess)).Failure);
        var payload = Base64Url.DecodeFromChars(alicePart[1]);
        payload[7] ^= 1;
        var edited = $"{alicePart[0]}.{Base64Url.EncodeToString(payload)}.{alicePart[2]}";
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + edited, UsersHarness.PublicAccess)).Failure);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync(null, UsersHarness.PublicAccess)).Failure);
    }

    [Fact]
    public async Task A_banned_user_is_denied_every_public_method_and_sign_in_until_unbanned()
    {
        var signIn = await SignInAsync(15001);
        await _host.SendAsync(new BanUserRequest { UserId = 15001, Reason = "chargebacks" });

        var denied = await _host.AuthenticateAsync("Bearer " + signIn.SessionToken, UsersHarness.PublicAccess);
        var signInAgain = await _host.SendAsync(new SignInWithTelegramRequest { InitData = InitDataFactory.Create(15001, DateTimeOffset.UtcNow) }, Principal.Anonymous);
        await _host.SendAsync(new UnbanUserRequest { UserId = 15001 });
        var allowed = await _host.AuthenticateAsync("Bearer " + signIn.SessionToken, UsersHarness.PublicAccess);

        Assert.Equal(CallAuthenticationFailure.PermissionDenied, denied.Failure);
        Assert.Equal(ResultStatus.Forbidden, signInAgain.Status);
        Assert.Equal(15001, allowed.Principal!.UserId);
    }

    [Fact]
    public async Task Api_key_roles_are_ordered_readonly_support_admin()
    {
        var readOnly = await _host.CreateApiKeyAsync("dashboard", "readonly");
        var support = await _host.CreateApiKeyAsync("helpdesk", "support");
        var admin = await _host.CreateApiKeyAsync("ops", "admin");

        Assert.Equal(CallAuthenticationFailure.None, (await _host.AuthenticateAsync("Bearer " + readOnly, UsersHarness.InternalAccess(Role.Readonly))).Failure);
        Assert.Equal(CallAuthenticationFailure.PermissionDenied, (await _host.AuthenticateAsync("Bearer " + readOnly, UsersHarness.InternalAccess(Role.Support))).Failure);
        Assert.Equal(CallAuthenticationFailure.None, (await _host.AuthenticateAsync("Bearer " + support, UsersHarness.InternalAccess(Role.Support))).Failure);
        Assert.Equal(CallAuthenticationFailure.PermissionDenied, (await _host.AuthenticateAsync("Bearer " + support, UsersHarness.InternalAccess(Role.Admin))).Failure);
        var asAdmin = await _host.AuthenticateAsync("Bearer " + admin, UsersHarness.InternalAccess(Role.Admin));
        Assert.Equal(Principal.ForApiKey("ops", Role.Admin), asAdmin.Principal);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer nbk_not-a-real-key", UsersHarness.InternalAccess(Role.Readonly))).Failure);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync(null, UsersHarness.InternalAccess(Role.Readonly))).Failure);
        // A session token is not an API key, and an API key is not a session.
        var session = await SignInAsync(16001);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + session.SessionToken, UsersHarness.InternalAccess(Role.Readonly))).Failure);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + admin, UsersHarness.PublicAccess)).Failure);
        Assert.Equal(CallAuthenticationFailure.PermissionDenied, (await _host.AuthenticateAsync("Bearer " + admin, new MethodAccess { Level = AccessLevel.Module })).Failure);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var viaRpc = await _host.CreateApiKeyAsync("temp-rpc", "admin");
        var viaCli = await _host.CreateApiKeyAsync("temp-cli", "support");
        Assert.Equal(CallAuthenticationFailure.None, (await _host.AuthenticateAsync("Bearer " + viaRpc, UsersHarness.InternalAccess(Role.Readonly))).Failure);

        var revoked = await _host.SendAsync(new RevokeApiKeyRequest { Name = "temp-rpc" }, Principal.ForApiKey("ops", Role.Admin));
        var (exit, _, _) = await _host.AdminAsync("revoke-api-key", "--name", "temp-cli");

        Assert.NotNull(revoked.Value.Key.RevokedAt);
        Assert.Equal(0, exit);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + viaRpc, UsersHarness.InternalAccess(Role.Readonly))).Failure);
        Assert.Equal(CallAuthenticationFailure.Unauthenticated, (await _host.AuthenticateAsync("Bearer " + viaCli, UsersHarness.InternalAccess(Role.Readonly))).Failure);
        var keys = await _host.SendAsync(new ListApiKeysRequest());
        Assert.All(keys.Value.Keys.Where(k => k.Name.StartsWith("temp-", StringComparison.Ordinal)), k => Assert.NotNull(k.RevokedAt));
    }

    [Fact]
    public async Task The_cli_prints_a_key_once_refuses_duplicates_and_bad_arguments()
    {
        var key = await _host.CreateApiKeyAsync("printer", "readonly");
        var duplicate = await _host.AdminAsync("create-api-key", "--name", "printer", "--role", "admin");
        var badRole = await _host.AdminAsync("create-api-key", "--name", "other", "--role", "root");
        var badName = await _host.AdminAsync("create-api-key", "--name", "Bad Name", "--role", "admin");
        var unknown = await _host.AdminAsync("drop-everything");

        Assert.StartsWith("nbk_", key, StringComparison.Ordinal);
        Assert.True(key.Length > 40);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal(2, badRole.ExitCode);
        Assert.Equal(2, badName.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
    }
}

/// <summary>Rate limits need their own Host with tight buckets.</summary>
public sealed class RateLimitTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_principal_over_its_bucket_is_told_when_to_retry_and_others_are_unaffected()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings(
            ("RateLimits:Public:PerSecond", "0.01"),
            ("RateLimits:Public:Burst", "3")));
        var alice = (await host.SendAsync(new SignInWithTelegramRequest { InitData = InitDataFactory.Create(17001, DateTimeOffset.UtcNow) }, Principal.Anonymous)).Value;
        var bob = (await host.SendAsync(new SignInWithTelegramRequest { InitData = InitDataFactory.Create(17002, DateTimeOffset.UtcNow) }, Principal.Anonymous)).Value;

        var decisions = new List<CallAuthentication>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await host.AuthenticateAsync("Bearer " + alice.SessionToken, UsersHarness.PublicAccess));
        }

        var bobDecision = await host.AuthenticateAsync("Bearer " + bob.SessionToken, UsersHarness.PublicAccess);

        Assert.All(decisions.Take(3), d => Assert.Equal(CallAuthenticationFailure.None, d.Failure));
        Assert.Equal(CallAuthenticationFailure.ResourceExhausted, decisions[3].Failure);
        Assert.True(decisions[3].RetryAfter > TimeSpan.Zero);
        Assert.Equal(CallAuthenticationFailure.None, bobDecision.Failure);
    }
}
