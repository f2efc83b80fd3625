using Ardalis.Result;
using Mapster;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Stars;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Payments.Subscriptions;

/// <summary>
/// Cancel and resume share one path, for the bot and the Mini App. Stars: editUserStarSubscription on the running
/// subscription's first charge, then the flag — Telegram first, so when it refuses our record keeps saying what
/// Telegram will do. Card (ADR 0152): only our flag, since we charge the saved card ourselves; renewals come back
/// only with the user's consent and a saved card.
/// </summary>
internal sealed partial class SubscriptionRenewal(PaymentsDbContext db, ITelegramPayments telegram, TimeProvider clock, ILogger<SubscriptionRenewal> logger)
{
    public async Task<Result<Subscription>> SetCanceledAsync(long userId, bool canceled, CancellationToken cancellationToken)
    {
        var subscription = await db.FindRunningSubscriptionAsync(userId, clock.GetUtcNow(), tracked: true, cancellationToken);
        if (subscription is null)
        {
            return Result<Subscription>.NotFound($"User {userId} has no running subscription.");
        }

        if (subscription.Canceled == canceled)
        {
            return subscription.Adapt<Subscription>();
        }

        if (!canceled && !subscription.CanResume)
        {
            return Result<Subscription>.Conflict(subscription.Method == OrderMethod.Stars
                ? "The last renewal payment failed; subscribe again once the period has run out."
                : "No card is saved for automatic renewal; buy the next period once this one has run out.");
        }

        if (subscription.Method == OrderMethod.Stars)
        {
            try
            {
                await telegram.EditUserStarSubscriptionAsync(userId, subscription.ChargeId!, canceled, cancellationToken);
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException or TaskCanceledException)
            {
                LogEditFailed(logger, exception, subscription.Id, canceled);
                return Result<Subscription>.Unavailable("Telegram did not accept the change; please try again in a minute.");
            }
        }

        subscription.SetCanceled(canceled, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return subscription.Adapt<Subscription>();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "editUserStarSubscription for subscription {SubscriptionId} (is_canceled={Canceled}) failed")]
    private static partial void LogEditFailed(ILogger logger, Exception exception, Guid subscriptionId, bool canceled);
}
