using Ardalis.Result;
using Mapster;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>The caller's own balance (zero before their first credit).</summary>
internal sealed class GetBalance(BillingTransactions transactions, CallContext call) : IUseCaseHandler<GetBalanceRequest, GetBalanceResponse>
{
    public async Task<Result<GetBalanceResponse>> Handle(GetBalanceRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<GetBalanceResponse>();
        }

        var account = await transactions.ReadAsync(session => session.ReadAccountAsync(userId, cancellationToken), cancellationToken);
        return new GetBalanceResponse { Balance = account.Adapt<Balance>() };
    }
}
