using Ardalis.Result;
using FluentValidation;
using Mapster;
using MediatR;
using Microsoft.Extensions.Logging;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Stars;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Payments.Features;

/// <summary>
/// The bot subscribes a chat user to a plan: a pending subscription (the plan's price and credits copied, so a
/// later catalog change does not alter what this subscriber pays and gets) and Telegram's invoice link with
/// the 30-day subscription period. One running subscription per user: a second would pay twice for one plan.
/// </summary>
internal sealed partial class CreateBotSubscription(IMediator mediator, PaymentsDbContext db, ITelegramPayments telegram, TimeProvider clock, ILogger<CreateBotSubscription> logger)
    : IUseCaseHandler<CreateBotSubscriptionRequest, CreateBotSubscriptionResponse>
{
    public async Task<Result<CreateBotSubscriptionResponse>> Handle(CreateBotSubscriptionRequest request, CancellationToken cancellationToken)
    {
        if (!telegram.IsConfigured)
        {
            return Result<CreateBotSubscriptionResponse>.Unavailable("Telegram Stars payments are not configured.");
        }

        var plans = await mediator.Send(new ListPlansRequest(), cancellationToken);
        if (!plans.IsSuccess)
        {
            return plans.ToFailure();
        }

        if (plans.Value.Plans.SingleOrDefault(p => p.Id == request.PlanId) is not { PriceStars: > 0 } plan)
        {
            return Result<CreateBotSubscriptionResponse>.NotFound($"Plan '{request.PlanId}' does not exist or is not on sale.");
        }

        var now = clock.GetUtcNow();
        if (await db.FindRunningSubscriptionAsync(request.UserId, now, tracked: false, cancellationToken) is { } running)
        {
            return Result<CreateBotSubscriptionResponse>.Conflict($"User {request.UserId} already has plan '{running.PlanId}' until {running.ExpiresAt:u}; cancel it and let it run out first.");
        }

        var subscription = StarsSubscription.Create(request.UserId, plan.Id, plan.PriceStars, plan.MonthlyCredits, now);
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);

        var english = PaymentsInput.IsEnglish(request.Language);
        var title = english ? plan.Title.En : plan.Title.Ru;
        var description = english
            ? $"{title}: {plan.MonthlyCredits} credits every 30 days, renewed automatically until you cancel."
            : $"{title}: {plan.MonthlyCredits} кредитов каждые 30 дней, продление автоматически до отмены.";
        try
        {
            var link = await telegram.CreateInvoiceLinkAsync(
                new StarsInvoiceRequest(title, description, subscription.Payload, title, plan.PriceStars, StarsSubscription.PeriodSeconds), cancellationToken);
            return new CreateBotSubscriptionResponse { Subscription = subscription.Adapt<Subscription>(), InvoiceLink = link };
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TaskCanceledException)
        {
            // The pending subscription stays unpaid and unseen; a new attempt issues a new one.
            LogInvoiceFailed(logger, exception, subscription.Id);
            return Result<CreateBotSubscriptionResponse>.Unavailable("Telegram is not answering; please try again in a minute.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "createInvoiceLink for subscription {SubscriptionId} failed")]
    private static partial void LogInvoiceFailed(ILogger logger, Exception exception, Guid subscriptionId);
}

internal sealed class CreateBotSubscriptionValidator : AbstractValidator<CreateBotSubscriptionRequest>
{
    public CreateBotSubscriptionValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.PlanId).NotEmpty().MaximumLength(64);
    }
}
