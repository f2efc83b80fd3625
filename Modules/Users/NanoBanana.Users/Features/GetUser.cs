using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Support tools: one user by Telegram id.</summary>
internal sealed class GetUser(UsersDbContext db) : IUseCaseHandler<GetUserRequest, GetUserResponse>
{
    public async Task<Result<GetUserResponse>> Handle(GetUserRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        return user is null
            ? Result<GetUserResponse>.NotFound($"User {request.UserId} does not exist.")
            : new GetUserResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}

internal sealed class GetUserValidator : AbstractValidator<GetUserRequest>
{
    public GetUserValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
