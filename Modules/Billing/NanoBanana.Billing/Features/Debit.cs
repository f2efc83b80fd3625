using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>Removes available credits (admin corrections, refunds of unspent top-ups); never below zero.</summary>
internal sealed class Debit(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<DebitRequest, DebitResponse>
{
    public Task<Result<DebitResponse>> Handle(DebitRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            async session => (await session.DebitAsync(
                request.UserId, request.Amount, request.Kind, request.IdempotencyKey, request.Reference, call.Principal.Actor, clock.GetUtcNow(), cancellationToken)).Result,
            cancellationToken);
}

internal sealed class DebitValidator : AbstractValidator<DebitRequest>
{
    public DebitValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Amount).InclusiveBetween(1, BillingLimits.MaxAmount).WithMessage($"Amount must be 1 to {BillingLimits.MaxAmount} credits.");
        RuleFor(r => r.Kind).Must(k => k is EntryKind.AdminDebit or EntryKind.TopUpRefund).WithMessage("The kind must be ADMIN_DEBIT or TOP_UP_REFUND.");
        RuleFor(r => r.IdempotencyKey).MustBeIdempotencyKey();
        RuleFor(r => r.Reference).MaximumLength(200).WithMessage("A reference is at most 200 characters.");
    }
}
