using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>
/// Spends a hold's credits, all of them or a part (the rest released in the same transaction). A repeat returns the
/// first result; another amount for the same hold, or a released or expired hold, is a conflict.
/// </summary>
internal sealed class Capture(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<CaptureRequest, CaptureResponse>
{
    public Task<Result<CaptureResponse>> Handle(CaptureRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            session => session.CaptureAsync(Guid.Parse(request.HoldId), request.Amount, call.Principal.Actor, clock.GetUtcNow(), cancellationToken),
            cancellationToken);
}

internal sealed class CaptureValidator : AbstractValidator<CaptureRequest>
{
    public CaptureValidator()
    {
        RuleFor(r => r.HoldId).MustBeHoldId();
        RuleFor(r => r.Amount).InclusiveBetween(0, BillingLimits.MaxAmount).WithMessage($"Amount must be 0 (the whole hold) to {BillingLimits.MaxAmount} credits.");
    }
}
