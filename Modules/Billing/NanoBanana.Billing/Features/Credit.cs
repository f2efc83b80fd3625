using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>Adds credits (top-ups, bonuses, refunds, grants) exactly once per idempotency key.</summary>
internal sealed class Credit(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<CreditRequest, CreditResponse>
{
    public Task<Result<CreditResponse>> Handle(CreditRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            async session => (await session.CreditAsync(
                request.UserId, request.Amount, request.Kind, request.IdempotencyKey, request.Reference, call.Principal.Actor, clock.GetUtcNow(), cancellationToken)).Result,
            cancellationToken);
}

internal sealed class CreditValidator : AbstractValidator<CreditRequest>
{
    private static readonly EntryKind[] CreditKinds =
        [EntryKind.TopUp, EntryKind.WelcomeBonus, EntryKind.ReferralReward, EntryKind.ReferralBonus, EntryKind.Promo, EntryKind.DailyReward, EntryKind.Refund, EntryKind.AdminGrant];

    public CreditValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Amount).InclusiveBetween(1, BillingLimits.MaxAmount).WithMessage($"Amount must be 1 to {BillingLimits.MaxAmount} credits.");
        RuleFor(r => r.Kind).Must(k => CreditKinds.Contains(k)).WithMessage("The kind must be one that adds credits.");
        RuleFor(r => r.IdempotencyKey).MustBeIdempotencyKey();
        RuleFor(r => r.Reference).MaximumLength(200).WithMessage("A reference is at most 200 characters.");
    }
}
