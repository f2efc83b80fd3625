using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Names, roles and state of all API keys (never the secrets, which are not stored).</summary>
internal sealed class ListApiKeys(UsersDbContext db) : IUseCaseHandler<ListApiKeysRequest, ListApiKeysResponse>
{
    public async Task<Result<ListApiKeysResponse>> Handle(ListApiKeysRequest request, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken);
        return new ListApiKeysResponse { Keys = { keys.Select(k => k.Adapt<Contracts.V1.ApiKey>()) } };
    }
}
