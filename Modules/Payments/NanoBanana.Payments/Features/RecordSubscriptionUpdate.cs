using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>
/// Telegram's `subscription` update (BotSubscriptionUpdated, ADR 0153), under the subscription's row lock:
/// "canceled" — the user stopped renewals in Telegram; "active" — they switched them back on; "failed" — the renewal
/// payment failed, so the paid period runs out and the user is then on the free plan with their credits.
/// A repeated state changes nothing and says so (<c>changed = false</c>), so the user is told once.
/// </summary>
internal sealed class RecordSubscriptionUpdate(PaymentsDbContext db, TimeProvider clock) : IUseCaseHandler<RecordSubscriptionUpdateRequest, RecordSubscriptionUpdateResponse>
{
    public const string Canceled = "canceled";
    public const string Active = "active";
    public const string Failed = "failed";

    public async Task<Result<RecordSubscriptionUpdateResponse>> Handle(RecordSubscriptionUpdateRequest request, CancellationToken cancellationToken)
    {
        if (!PlanSubscription.TryParsePayload(request.InvoicePayload, out var id))
        {
            return Result<RecordSubscriptionUpdateResponse>.NotFound($"'{request.InvoicePayload}' is not one of our subscription payloads.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscription = await db.LockSubscriptionAsync(id, cancellationToken);
        if (subscription is null || subscription.UserId != request.UserId || subscription.Method != OrderMethod.Stars)
        {
            return Result<RecordSubscriptionUpdateResponse>.NotFound($"No Stars subscription '{request.InvoicePayload}' of user {request.UserId}.");
        }

        var now = clock.GetUtcNow();
        var changed = request.State switch
        {
            Canceled => subscription.SetCanceled(true, now),
            Active => subscription.SetCanceled(false, now),
            _ => subscription.RecordRenewalFailure("payment_failed", now),
        };
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecordSubscriptionUpdateResponse { Subscription = subscription.Adapt<Subscription>(), Changed = changed };
    }
}

internal sealed class RecordSubscriptionUpdateValidator : AbstractValidator<RecordSubscriptionUpdateRequest>
{
    public RecordSubscriptionUpdateValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.InvoicePayload).NotEmpty().MaximumLength(128);
        RuleFor(r => r.State).Must(s => s is RecordSubscriptionUpdate.Canceled or RecordSubscriptionUpdate.Active or RecordSubscriptionUpdate.Failed)
            .WithMessage("state is canceled, active or failed.");
    }
}
