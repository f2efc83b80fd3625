using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>A support grant or debit; the ledger entry records the acting key and the reason.</summary>
internal sealed class AdjustBalance(BillingTransactions transactions, TimeProvider clock, CallContext call) : IUseCaseHandler<AdjustBalanceRequest, AdjustBalanceResponse>
{
    public Task<Result<AdjustBalanceResponse>> Handle(AdjustBalanceRequest request, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            async session =>
            {
                var (actor, now) = (call.Principal.Actor, clock.GetUtcNow());
                if (request.Amount > 0)
                {
                    var credit = await session.CreditAsync(request.UserId, request.Amount, EntryKind.AdminGrant, request.IdempotencyKey, request.Reason, actor, now, cancellationToken);
                    return credit.Result.Map(c => new AdjustBalanceResponse { Balance = c.Balance, EntryId = c.EntryId });
                }

                var debit = await session.DebitAsync(request.UserId, -request.Amount, EntryKind.AdminDebit, request.IdempotencyKey, request.Reason, actor, now, cancellationToken);
                return debit.Result.Map(d => new AdjustBalanceResponse { Balance = d.Balance, EntryId = d.EntryId, InsufficientFunds = d.InsufficientFunds });
            },
            cancellationToken);
}

internal sealed class AdjustBalanceValidator : AbstractValidator<AdjustBalanceRequest>
{
    public AdjustBalanceValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Amount).NotEqual(0).WithMessage("The amount must not be zero.")
            .InclusiveBetween(-BillingLimits.MaxAmount, BillingLimits.MaxAmount).WithMessage($"The amount is at most {BillingLimits.MaxAmount} credits either way.");
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(200).WithMessage("A reason of up to 200 characters is required.");
        RuleFor(r => r.IdempotencyKey).MustBeIdempotencyKey();
    }
}
