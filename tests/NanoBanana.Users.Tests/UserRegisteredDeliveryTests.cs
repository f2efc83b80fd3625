using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using Xunit;

namespace NanoBanana.Users.Tests;

public sealed class UserRegisteredDeliveryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static void Subscribe(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveredEvents>();
        builder.Services.AddIntegrationEventHandler<UserRegistered, RecordingUserRegisteredHandler>();
    }

    [Fact]
    public async Task An_event_committed_before_a_restart_is_delivered_after_it()
    {
        await using (var stoppedBeforeDispatch = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings(("Outbox:Enabled", "false")), configure: Subscribe))
        {
            await stoppedBeforeDispatch.UpsertAsync(18001);
            Assert.Empty(stoppedBeforeDispatch.Services.GetRequiredService<DeliveredEvents>().All);
        }

        await using var restarted = await TestHost.StartAsync(database.ConnectionString, settings: UsersHarness.Settings(), configure: Subscribe);
        var delivered = restarted.Services.GetRequiredService<DeliveredEvents>();

        var registered = await delivered.WaitForAsync(e => e.UserId == 18001);

        Assert.Equal("en", registered.LanguageCode);
        Assert.Single(delivered.All, e => e.Event.UserId == 18001);
    }
}
