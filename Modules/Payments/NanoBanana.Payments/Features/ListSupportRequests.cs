using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>The newest /paysupport requests, for admins.</summary>
internal sealed class ListSupportRequests(PaymentsDbContext db) : IUseCaseHandler<ListSupportRequestsRequest, ListSupportRequestsResponse>
{
    public async Task<Result<ListSupportRequestsResponse>> Handle(ListSupportRequestsRequest request, CancellationToken cancellationToken)
    {
        var limit = request.Limit <= 0 ? 50 : Math.Min(request.Limit, 500);
        var entries = await db.SupportRequests.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(limit).ToListAsync(cancellationToken);
        var response = new ListSupportRequestsResponse();
        response.Requests.Add(entries.Select(r => r.Adapt<Contracts.V1.SupportRequest>()));
        return response;
    }
}
