using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>The bot's /stats: all users, those first seen since a moment, and those who blocked the bot — one scan.</summary>
internal sealed class GetUserStats(UsersDbContext db) : IUseCaseHandler<GetUserStatsRequest, GetUserStatsResponse>
{
    public async Task<Result<GetUserStatsResponse>> Handle(GetUserStatsRequest request, CancellationToken cancellationToken)
    {
        var since = request.Since.ToDateTimeOffset();
        var counts = await db.Users.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(all => new
            {
                Total = all.LongCount(),
                New = all.LongCount(u => u.FirstSeenAt >= since),
                Blocked = all.LongCount(u => u.BlockedBot),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return new GetUserStatsResponse { Total = counts?.Total ?? 0, NewSince = counts?.New ?? 0, BlockedBot = counts?.Blocked ?? 0 };
    }
}

internal sealed class GetUserStatsValidator : AbstractValidator<GetUserStatsRequest>
{
    public GetUserStatsValidator() => RuleFor(r => r.Since).NotNull().WithMessage("since is required.");
}
