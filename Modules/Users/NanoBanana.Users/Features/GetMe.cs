using Ardalis.Result;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>The signed-in user's own profile.</summary>
internal sealed class GetMe(UsersDbContext db, CallContext call) : IUseCaseHandler<GetMeRequest, GetMeResponse>
{
    public async Task<Result<GetMeResponse>> Handle(GetMeRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<GetMeResponse>.Unauthorized("Sign in first.");
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == call.Principal.UserId, cancellationToken);
        return user is null
            ? Result<GetMeResponse>.Unauthorized("The session's user no longer exists.")
            : new GetMeResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}
