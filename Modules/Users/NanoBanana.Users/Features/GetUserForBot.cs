using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>The bot adapter's view of a user: language, settings, ban and roles for routing a message.</summary>
internal sealed class GetUserForBot(UsersDbContext db) : IUseCaseHandler<GetUserForBotRequest, GetUserForBotResponse>
{
    public async Task<Result<GetUserForBotResponse>> Handle(GetUserForBotRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        return user is null
            ? Result<GetUserForBotResponse>.NotFound($"User {request.UserId} is not known.")
            : new GetUserForBotResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}

internal sealed class GetUserForBotValidator : AbstractValidator<GetUserForBotRequest>
{
    public GetUserForBotValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
