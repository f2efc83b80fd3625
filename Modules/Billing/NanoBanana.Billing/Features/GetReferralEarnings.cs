using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

/// <summary>Total referral rewards a user has been credited.</summary>
internal sealed class GetReferralEarnings(BillingTransactions transactions) : IUseCaseHandler<GetReferralEarningsRequest, GetReferralEarningsResponse>
{
    public Task<Result<GetReferralEarningsResponse>> Handle(GetReferralEarningsRequest request, CancellationToken cancellationToken) =>
        transactions.ReadAsync(
            async session => Result<GetReferralEarningsResponse>.Success(new GetReferralEarningsResponse
            {
                Credits = await session.ScalarAsync<long>(
                    "SELECT coalesce(sum(amount), 0) FROM billing.ledger WHERE user_id = @user AND kind = @kind",
                    cancellationToken,
                    ("user", request.UserId),
                    ("kind", (int)EntryKind.ReferralReward)),
            }),
            cancellationToken);
}

internal sealed class GetReferralEarningsValidator : AbstractValidator<GetReferralEarningsRequest>
{
    public GetReferralEarningsValidator() => RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
}
