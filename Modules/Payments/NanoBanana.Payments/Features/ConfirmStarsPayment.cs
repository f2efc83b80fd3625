using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Settlement;
using Npgsql;

namespace NanoBanana.Payments.Features;

/// <summary>
/// Telegram's successful_payment. Idempotent on telegram_payment_charge_id, never on the payload:
/// the same charge again changes nothing; a new charge for an invoice already settled (an old
/// invoice paid again) is real money and becomes a repeat order of the same package. A subscription
/// payload (ADR 0150): every new charge, first or renewal, is one paid period, its own order.
/// </summary>
internal sealed class ConfirmStarsPayment(PaymentsDbContext db, OrderSettlement settlement, IServiceProvider services, IOptions<PaymentsOptions> options, TimeProvider clock)
    : IUseCaseHandler<ConfirmStarsPaymentRequest, ConfirmStarsPaymentResponse>
{
    public async Task<Result<ConfirmStarsPaymentResponse>> Handle(ConfirmStarsPaymentRequest request, CancellationToken cancellationToken)
    {
        if (await FindByChargeAsync(request.TelegramPaymentChargeId, cancellationToken) is { } known)
        {
            return await AlreadyConfirmedAsync(known, cancellationToken);
        }

        try
        {
            return PlanSubscription.TryParsePayload(request.InvoicePayload, out var subscriptionId)
                ? await ConfirmPeriodAsync(request, subscriptionId, cancellationToken)
                : await ConfirmAsync(request, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent delivery of the same charge won the race; it settled the order.
            db.ChangeTracker.Clear();
            return await AlreadyConfirmedAsync((await FindByChargeAsync(request.TelegramPaymentChargeId, cancellationToken))!, cancellationToken);
        }
    }

    private async Task<ConfirmStarsPaymentResponse> AlreadyConfirmedAsync(TopUpOrder order, CancellationToken cancellationToken)
    {
        var subscription = order.SubscriptionId is { } id ? await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id, cancellationToken) : null;
        return new ConfirmStarsPaymentResponse { TopUp = order.Adapt<TopUp>(), NewlyConfirmed = false, Subscription = subscription?.Adapt<Subscription>() };
    }

    private async Task<Result<ConfirmStarsPaymentResponse>> ConfirmPeriodAsync(ConfirmStarsPaymentRequest request, Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscription = await db.LockSubscriptionAsync(subscriptionId, cancellationToken);
        if (subscription is null || subscription.UserId != request.UserId)
        {
            return Result<ConfirmStarsPaymentResponse>.NotFound($"No subscription '{request.InvoicePayload}' of user {request.UserId}; refund charge {request.TelegramPaymentChargeId} or credit by hand.");
        }

        // Telegram says when the paid period ends; without it (never seen on the wire) a period is 30 days from now.
        var now = clock.GetUtcNow();
        var periodEndsAt = request.SubscriptionExpirationDate > 0
            ? DateTimeOffset.FromUnixTimeSeconds(request.SubscriptionExpirationDate)
            : now.AddSeconds(PlanSubscription.PeriodSeconds);
        var period = TopUpOrder.ForPeriod(subscription, request.TotalAmount, periodEndsAt, now);
        db.Orders.Add(period);
        settlement.MarkSucceeded(period, request.TelegramPaymentChargeId, request.TotalAmount);
        subscription.RecordPeriod(request.TelegramPaymentChargeId, periodEndsAt, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.NotifyOutbox();
        return new ConfirmStarsPaymentResponse { TopUp = period.Adapt<TopUp>(), NewlyConfirmed = true, Subscription = subscription.Adapt<Subscription>() };
    }

    private async Task<Result<ConfirmStarsPaymentResponse>> ConfirmAsync(ConfirmStarsPaymentRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = Guid.TryParse(request.InvoicePayload, out var id) ? await db.LockOrderAsync(id, cancellationToken) : null;
        if (order is null || order.Method != OrderMethod.Stars || order.UserId != request.UserId)
        {
            // Telegram took the Stars already; keep the case for support instead of losing it.
            return Result<ConfirmStarsPaymentResponse>.NotFound($"No Stars order '{request.InvoicePayload}' of user {request.UserId}; refund charge {request.TelegramPaymentChargeId} or credit by hand.");
        }

        if (order.ProviderPaymentId == request.TelegramPaymentChargeId)
        {
            return new ConfirmStarsPaymentResponse { TopUp = order.Adapt<TopUp>(), NewlyConfirmed = false };
        }

        var target = order;
        if (order.IsPaid)
        {
            var package = new PackageSnapshot(order.PackageId, string.Empty, string.Empty, order.Credits, order.BonusCredits, 0, request.TotalAmount);
            target = TopUpOrder.Create(order.UserId, package, OrderMethod.Stars, options.Value.OrderLifetime, clock.GetUtcNow(), repeatOf: order.Id);
            db.Orders.Add(target);
        }

        settlement.MarkSucceeded(target, request.TelegramPaymentChargeId, request.TotalAmount);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.NotifyOutbox();
        return new ConfirmStarsPaymentResponse { TopUp = target.Adapt<TopUp>(), NewlyConfirmed = true };
    }

    private Task<TopUpOrder?> FindByChargeAsync(string chargeId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Method == OrderMethod.Stars && o.ProviderPaymentId == chargeId, cancellationToken);
}

internal sealed class ConfirmStarsPaymentValidator : AbstractValidator<ConfirmStarsPaymentRequest>
{
    public ConfirmStarsPaymentValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.TelegramPaymentChargeId).NotEmpty().MaximumLength(256);
        RuleFor(r => r.Currency).Equal("XTR").WithMessage("Stars payments are in XTR.");
        RuleFor(r => r.TotalAmount).GreaterThan(0);
    }
}
