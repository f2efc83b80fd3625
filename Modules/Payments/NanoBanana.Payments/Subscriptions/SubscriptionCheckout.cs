using Ardalis.Result;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Checkout;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Stars;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Settlement;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Payments.Subscriptions;

/// <summary>A new subscription and where its first period is paid: a Stars invoice link, or a YooKassa confirmation (URL or widget token) for a card period's order.</summary>
internal sealed record SubscriptionStart(PlanSubscription Subscription, string CheckoutUrl, string ConfirmationToken, TopUpOrder? Order);

/// <summary>
/// Subscribes a user to a plan, for the bot and the Mini App alike. The plan's price and credits are copied (a later
/// catalog edit changes the next subscriber's terms, not this one's). One running subscription per user: a second
/// would pay twice for one set of limits. Stars (ADR 0150): Telegram's invoice link with the 30-day period. Card
/// (ADR 0152): a pending period order confirmed on YooKassa's page; with the user's consent (and the operator's
/// Payments:YooKassa:Autopayments) the payment saves the card that renews the plan.
/// </summary>
internal sealed partial class SubscriptionCheckout(
    UseCaseSender sender,
    PaymentsDbContext db,
    ITelegramPayments telegram,
    YooKassaClient yooKassa,
    OrderSettlement settlement,
    IOptions<YooKassaOptions> yooKassaOptions,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionCheckout> logger)
{
    public async Task<Result<SubscriptionStart>> StartAsync(long userId, string planId, OrderMethod method, bool autoRenew, CheckoutOptions checkout, CancellationToken cancellationToken)
    {
        if (Unavailable(method, autoRenew) is { } refusal)
        {
            return refusal;
        }

        var plans = await sender.SendAsync(Principal.Module, new ListPlansRequest(), cancellationToken);
        if (!plans.IsSuccess)
        {
            return plans.ToFailure();
        }

        if (plans.Value.Plans.SingleOrDefault(p => p.Id == planId) is not { PriceStars: > 0 } plan)
        {
            return Result<SubscriptionStart>.NotFound($"Plan '{planId}' does not exist or is not on sale.");
        }

        if (method == OrderMethod.YooKassa && plan.PriceRubKopecks <= 0)
        {
            return Result<SubscriptionStart>.Unavailable($"Plan '{planId}' is sold for Stars only.");
        }

        var now = clock.GetUtcNow();
        if (await db.FindRunningSubscriptionAsync(userId, now, tracked: false, cancellationToken) is { } running)
        {
            return Result<SubscriptionStart>.Conflict($"User {userId} already has plan '{running.PlanId}' until {running.ExpiresAt:u}; cancel it and let it run out first.");
        }

        var subscription = method == OrderMethod.Stars
            ? PlanSubscription.Create(userId, plan.Id, plan.PriceStars, plan.MonthlyCredits, now)
            : PlanSubscription.CreateByCard(userId, plan.Id, plan.PriceStars, plan.PriceRubKopecks, plan.MonthlyCredits, autoRenew, now);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        // Saved before the provider call, so a notification arriving early always finds the period's order.
        var order = method == OrderMethod.YooKassa ? db.Orders.Add(TopUpOrder.ForCardPeriod(subscription, options.Value.OrderLifetime, now)).Entity : null;
        await db.SaveChangesAsync(cancellationToken);

        var english = Texts.IsEnglish(checkout.Language);
        var title = english ? plan.Title.En : plan.Title.Ru;
        try
        {
            if (order is null)
            {
                var link = await telegram.CreateInvoiceLinkAsync(
                    new StarsInvoiceRequest(title, Describe(title, plan.MonthlyCredits, renews: true, checkout.Language), subscription.Payload, title, plan.PriceStars, PlanSubscription.PeriodSeconds),
                    cancellationToken);
                return new SubscriptionStart(subscription, link, string.Empty, null);
            }

            var payment = await yooKassa.CreatePaymentAsync(
                YooKassaPayments.ForOrder(order, Describe(title, plan.MonthlyCredits, autoRenew, checkout.Language), checkout, english, yooKassaOptions.Value, savePaymentMethod: autoRenew),
                order.Id.ToString(),
                cancellationToken);
            order.ProviderPaymentId = payment.Id;
            order.CheckoutUrl = payment.Confirmation?.ConfirmationUrl;
            await db.SaveChangesAsync(cancellationToken);
            return new SubscriptionStart(subscription, order.CheckoutUrl ?? string.Empty, payment.Confirmation?.ConfirmationToken ?? string.Empty, order);
        }
        catch (Exception exception) when (exception is YooKassaException or RequestException or HttpRequestException or TaskCanceledException)
        {
            // The pending subscription stays unpaid and unseen; a new attempt issues a new one. A card order without a
            // confirmation can never be paid; a late provider success would still settle it.
            LogCheckoutFailed(logger, exception, subscription.Id, method);
            if (order is not null)
            {
                await settlement.CancelAsync(order.Id, CancellationToken.None);
            }

            return Result<SubscriptionStart>.Unavailable("The payment provider is not answering; please try again in a minute.");
        }
    }

    /// <summary>The invoice or payment description (YooKassa: at most 128 characters).</summary>
    public static string Describe(string title, long credits, bool renews, string language) =>
        Texts.Catalog.Get(language, renews ? "plan.description_renewing" : "plan.description_one_period", title, credits);

    private Result<SubscriptionStart>? Unavailable(OrderMethod method, bool autoRenew) => method switch
    {
        OrderMethod.Stars when !telegram.IsConfigured => Result<SubscriptionStart>.Unavailable("Telegram Stars payments are not configured."),
        OrderMethod.YooKassa when !yooKassaOptions.Value.IsConfigured => Result<SubscriptionStart>.Unavailable("Card payments are not configured."),
        OrderMethod.YooKassa when autoRenew && !yooKassaOptions.Value.Autopayments =>
            Result<SubscriptionStart>.Invalid(new ValidationError("auto_renew", "Automatic renewal by card is not offered; buy one period at a time.")),
        OrderMethod.Sandbox => Result<SubscriptionStart>.Invalid(new ValidationError("method", "Plans are paid with Stars or by card.")),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting subscription {SubscriptionId} with {Method} failed")]
    private static partial void LogCheckoutFailed(ILogger logger, Exception exception, Guid subscriptionId, OrderMethod method);
}
