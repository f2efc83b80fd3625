using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

internal sealed class UnbanUser(UsersDbContext db) : IUseCaseHandler<UnbanUserRequest, UnbanUserResponse>
{
    public async Task<Result<UnbanUserResponse>> Handle(UnbanUserRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        if (user is null)
        {
            return Result<UnbanUserResponse>.NotFound($"User {request.UserId} does not exist.");
        }

        user.Banned = false;
        user.BanReason = null;
        await db.SaveChangesAsync(cancellationToken);
        return new UnbanUserResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}

internal sealed class UnbanUserValidator : AbstractValidator<UnbanUserRequest>
{
    public UnbanUserValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
