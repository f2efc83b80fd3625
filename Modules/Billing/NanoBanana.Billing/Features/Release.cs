using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>Gives a hold's credits back. A repeat (or a release of an expired hold) returns the first result; a captured hold is a conflict.</summary>
internal sealed class Release(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<ReleaseRequest, ReleaseResponse>
{
    public Task<Result<ReleaseResponse>> Handle(ReleaseRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            session => session.ReleaseAsync(Guid.Parse(request.HoldId), request.Reason, expired: false, call.Principal.Actor, clock.GetUtcNow(), cancellationToken),
            cancellationToken);
}

internal sealed class ReleaseValidator : AbstractValidator<ReleaseRequest>
{
    public ReleaseValidator()
    {
        RuleFor(r => r.HoldId).MustBeHoldId();
        RuleFor(r => r.Reason).MaximumLength(200).WithMessage("A reason is at most 200 characters.");
    }
}
