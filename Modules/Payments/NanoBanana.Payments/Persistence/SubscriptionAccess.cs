using Microsoft.EntityFrameworkCore;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments.Persistence;

internal static class SubscriptionAccess
{
    /// <summary>The user's subscription whose paid period ends after <paramref name="now"/> (the latest, should there be several).</summary>
    public static Task<PlanSubscription?> FindRunningSubscriptionAsync(this PaymentsDbContext db, long userId, DateTimeOffset now, bool tracked, CancellationToken cancellationToken)
    {
        var subscriptions = tracked ? db.Subscriptions : db.Subscriptions.AsNoTracking();
        return subscriptions
            .Where(s => s.UserId == userId && s.Status == SubscriptionStatus.Active && s.ExpiresAt > now)
            .OrderByDescending(s => s.ExpiresAt)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
