using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Bans a user: every public method answers PERMISSION_DENIED from the next call on.</summary>
internal sealed class BanUser(UsersDbContext db) : IUseCaseHandler<BanUserRequest, BanUserResponse>
{
    public async Task<Result<BanUserResponse>> Handle(BanUserRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        if (user is null)
        {
            return Result<BanUserResponse>.NotFound($"User {request.UserId} does not exist.");
        }

        user.Banned = true;
        user.BanReason = request.Reason;
        await db.SaveChangesAsync(cancellationToken);
        return new BanUserResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}

internal sealed class BanUserValidator : AbstractValidator<BanUserRequest>
{
    public BanUserValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}
