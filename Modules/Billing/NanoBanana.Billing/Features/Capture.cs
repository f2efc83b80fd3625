using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>Spends a hold's credits. A repeat returns the first result; a released or expired hold is a conflict.</summary>
internal sealed class Capture(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<CaptureRequest, CaptureResponse>
{
    public Task<Result<CaptureResponse>> Handle(CaptureRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            session => session.CaptureAsync(Guid.Parse(request.HoldId), call.Principal.Actor, clock.GetUtcNow(), cancellationToken),
            cancellationToken);
}

internal sealed class CaptureValidator : AbstractValidator<CaptureRequest>
{
    public CaptureValidator() => RuleFor(r => r.HoldId).MustBeHoldId();
}
