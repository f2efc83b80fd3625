using Microsoft.Extensions.Options;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.Billing.Persistence;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Users.Contracts.V1;

namespace NanoBanana.Billing.Integration;

/// <summary>A new user gets the welcome bonus once, and their referrer is remembered for later top-up rewards.</summary>
internal sealed class PayWelcomeBonus(BillingDbContext db, TimeProvider clock, IOptions<BillingOptions> options)
    : InboxEventHandler<UserRegistered, BillingDbContext>(db, clock)
{
    private const string Actor = "event:users.UserRegistered";

    protected override Task HandleOnceAsync(UserRegistered integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) =>
        BillingTransactions.JoinAsync(
            DbContext,
            async session =>
            {
                var now = Clock.GetUtcNow();
                if (integrationEvent.UserId <= 0)
                {
                    return false; // Malformed event: nothing to credit, and retrying cannot fix it.
                }

                if (integrationEvent.ReferrerId > 0 && integrationEvent.ReferrerId != integrationEvent.UserId)
                {
                    await session.ExecuteAsync(
                        "INSERT INTO billing.referrals (user_id, referrer_id, registered_at) VALUES (@user, @referrer, @now) ON CONFLICT (user_id) DO NOTHING",
                        cancellationToken,
                        ("user", integrationEvent.UserId),
                        ("referrer", integrationEvent.ReferrerId),
                        ("now", now));
                }

                var bonus = options.Value.WelcomeBonus;
                if (bonus > 0)
                {
                    // Keyed by user: even a second event id for the same user (a republish) pays once.
                    await session.CreditAsync(integrationEvent.UserId, bonus, EntryKind.WelcomeBonus, $"welcome:{integrationEvent.UserId}", string.Empty, Actor, now, cancellationToken);
                }

                return true;
            },
            cancellationToken);
}
