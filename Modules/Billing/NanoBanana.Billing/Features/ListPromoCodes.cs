using Ardalis.Result;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

internal sealed class ListPromoCodes(BillingTransactions transactions) : IUseCaseHandler<ListPromoCodesRequest, ListPromoCodesResponse>
{
    public Task<Result<ListPromoCodesResponse>> Handle(ListPromoCodesRequest request, CancellationToken cancellationToken) =>
        transactions.ReadAsync(
            async session =>
            {
                var codes = await session.QueryAsync(request.IncludeInactive ? "ORDER BY created_at, code" : "WHERE active ORDER BY created_at, code", cancellationToken);
                var response = new ListPromoCodesResponse();
                response.PromoCodes.Add(codes);
                return Result<ListPromoCodesResponse>.Success(response);
            },
            cancellationToken);
}
