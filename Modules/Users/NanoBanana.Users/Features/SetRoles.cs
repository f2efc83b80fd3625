using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Replaces a user's staff roles (used by the bot's admin commands).</summary>
internal sealed class SetRoles(UsersDbContext db) : IUseCaseHandler<SetRolesRequest, SetRolesResponse>
{
    public async Task<Result<SetRolesResponse>> Handle(SetRolesRequest request, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        if (user is null)
        {
            return Result<SetRolesResponse>.NotFound($"User {request.UserId} does not exist.");
        }

        user.Roles = [.. request.Roles.Distinct().Order().Select(UsersMapping.RoleName)];
        await db.SaveChangesAsync(cancellationToken);
        return new SetRolesResponse { User = user.Adapt<Contracts.V1.User>() };
    }
}

internal sealed class SetRolesValidator : AbstractValidator<SetRolesRequest>
{
    public SetRolesValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleForEach(r => r.Roles).Must(role => role is UserRole.Admin or UserRole.Support).WithMessage("Role must be ADMIN or SUPPORT.");
    }
}
