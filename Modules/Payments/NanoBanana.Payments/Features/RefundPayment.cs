using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.Extensions.Logging;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Stars;
using NanoBanana.Payments.Providers.YooKassa;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Payments.Features;

/// <summary>
/// Gives a payer their money back. The credits go first (Billing's Debit is the atomic "still
/// unspent?" check — spent credits refuse the refund with the reason); then the provider refunds;
/// if the provider fails, the credits are given back. All under the order's row lock.
/// </summary>
internal sealed partial class RefundPayment(
    PaymentsDbContext db,
    UseCaseSender sender,
    ITelegramPayments telegram,
    YooKassaClient yooKassa,
    TimeProvider clock,
    ILogger<RefundPayment> logger) : IUseCaseHandler<RefundPaymentRequest, RefundPaymentResponse>
{
    public async Task<Result<RefundPaymentResponse>> Handle(RefundPaymentRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(Guid.Parse(request.OrderId), cancellationToken);
        if (order is null)
        {
            return Result<RefundPaymentResponse>.NotFound($"Order '{request.OrderId}' does not exist.");
        }

        var remaining = order.AmountMinor - order.RefundedMinor;
        if (!order.IsPaid || remaining <= 0)
        {
            return Result<RefundPaymentResponse>.Conflict(order.IsPaid ? "The order is already refunded in full." : "The order was never paid.");
        }

        var amount = request.AmountMinor == 0 ? remaining : request.AmountMinor;
        if (amount > remaining)
        {
            return Result<RefundPaymentResponse>.Invalid(new ValidationError("amount_minor", $"At most {remaining} is left to refund."));
        }

        if (order.Method == OrderMethod.Stars && amount != order.AmountMinor)
        {
            return Result<RefundPaymentResponse>.Invalid(new ValidationError("amount_minor", "Telegram refunds a Stars payment only in full."));
        }

        // Keys carry the amount already refunded, so each refund step is its own idempotent operation.
        var step = $"{order.Id:N}:{order.RefundedMinor}";
        var credits = order.CreditsFor(amount);
        var debit = await sender.SendAsync(
            Principal.Module,
            new DebitRequest { UserId = order.UserId, Amount = credits, Kind = EntryKind.TopUpRefund, IdempotencyKey = "topup-refund:" + step, Reference = order.Id.ToString() },
            cancellationToken);
        if (!debit.IsSuccess)
        {
            return debit.ToFailure();
        }

        if (debit.Value.InsufficientFunds)
        {
            return Result<RefundPaymentResponse>.Conflict(
                $"The credits of this order were already spent: the refund needs {credits}, the user has {debit.Value.Balance?.Available ?? 0} available.");
        }

        try
        {
            await RefundAtProviderAsync(order, amount, request.Reason, step, cancellationToken);
        }
        catch (Exception exception) when (exception is YooKassaException or RequestException or HttpRequestException or TaskCanceledException)
        {
            LogProviderRefundFailed(logger, exception, order.Id);
            var revert = await sender.SendAsync(
                Principal.Module,
                new CreditRequest { UserId = order.UserId, Amount = credits, Kind = EntryKind.Refund, IdempotencyKey = "topup-refund-revert:" + step, Reference = order.Id.ToString() },
                CancellationToken.None);
            if (!revert.IsSuccess)
            {
                LogRevertFailed(logger, order.Id, credits, revert.Describe());
            }

            return Result<RefundPaymentResponse>.Unavailable($"The provider refused or did not answer the refund ({exception.Message}); the credits were given back.");
        }

        order.RecordRefund(amount, credits);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRefunded(logger, order.Id, amount, order.Currency, credits, clock.GetUtcNow());
        return new RefundPaymentResponse { TopUp = order.Adapt<TopUp>(), RefundedMinor = amount, DebitedCredits = credits };
    }

    private async Task RefundAtProviderAsync(TopUpOrder order, long amount, string reason, string step, CancellationToken cancellationToken)
    {
        switch (order.Method)
        {
            case OrderMethod.Stars:
                await telegram.RefundStarPaymentAsync(order.UserId, order.ProviderPaymentId!, cancellationToken);
                break;
            case OrderMethod.YooKassa:
                var description = string.IsNullOrWhiteSpace(reason) ? $"Refund of order {order.Id}" : reason;
                await yooKassa.CreateRefundAsync(
                    new YooKassaCreateRefund(order.ProviderPaymentId!, YooKassaAmount.FromMinor(amount, order.Currency), description[..Math.Min(description.Length, 250)]),
                    "refund:" + step,
                    cancellationToken);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund of order {OrderId} failed at the provider; credits are given back")]
    private static partial void LogProviderRefundFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Order {OrderId}: giving back {Credits} credits after a failed refund failed: {Result}")]
    private static partial void LogRevertFailed(ILogger logger, Guid orderId, long credits, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} refunded {Amount} {Currency}, {Credits} credits taken back at {At}")]
    private static partial void LogRefunded(ILogger logger, Guid orderId, long amount, string currency, long credits, DateTimeOffset at);
}

internal sealed class RefundPaymentValidator : AbstractValidator<RefundPaymentRequest>
{
    public RefundPaymentValidator()
    {
        RuleFor(r => r.OrderId).Must(id => Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
        RuleFor(r => r.AmountMinor).GreaterThanOrEqualTo(0);
        RuleFor(r => r.Reason).MaximumLength(250);
    }
}
