using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>The signed-in user's recent orders, newest first.</summary>
internal sealed class ListMyTopUps(PaymentsDbContext db, CallContext call) : IUseCaseHandler<ListMyTopUpsRequest, ListMyTopUpsResponse>
{
    public async Task<Result<ListMyTopUpsResponse>> Handle(ListMyTopUpsRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<ListMyTopUpsResponse>.Unauthorized("Sign in to see your orders.");
        }

        var limit = request.Limit <= 0 ? 20 : Math.Min(request.Limit, 100);
        var orders = await db.Orders.AsNoTracking().Where(o => o.UserId == call.Principal.UserId)
            .OrderByDescending(o => o.CreatedAt).Take(limit).ToListAsync(cancellationToken);
        var response = new ListMyTopUpsResponse();
        response.TopUps.Add(orders.Select(o => o.Adapt<TopUp>()));
        return response;
    }
}
