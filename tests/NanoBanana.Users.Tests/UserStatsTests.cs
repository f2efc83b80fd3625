using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Users.Tests;

/// <summary>The bot's /stats figures about users (own database: the counts are absolute).</summary>
public sealed class UserStatsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Stats_count_all_users_the_new_ones_and_those_who_blocked_the_bot()
    {
        foreach (var id in new long[] { 3001, 3002, 3003 })
        {
            await _host.UpsertAsync(id);
        }

        await _host.SendAsync(new RecordChatMemberStatusRequest { UserId = 3002, BlockedBot = true });

        var sinceEver = await _host.SendAsync(new GetUserStatsRequest { Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) });
        var sinceLater = await _host.SendAsync(new GetUserStatsRequest { Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)) });

        Assert.Equal((3L, 3L, 1L), (sinceEver.Value.Total, sinceEver.Value.NewSince, sinceEver.Value.BlockedBot));
        Assert.Equal((3L, 0L), (sinceLater.Value.Total, sinceLater.Value.NewSince));
    }

    [Fact]
    public async Task Stats_without_a_moment_are_refused()
    {
        var result = await _host.SendAsync(new GetUserStatsRequest());

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(result.ValidationErrors, e => e.Identifier == "since");
    }
}
