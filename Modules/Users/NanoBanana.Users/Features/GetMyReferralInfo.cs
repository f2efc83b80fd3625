using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Domain;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>
/// The signed-in user's referral code, link, number of referees and the credits those referees
/// earned them (asked of Billing, which owns the money).
/// </summary>
internal sealed class GetMyReferralInfo(UsersDbContext db, CallContext call, IConfiguration configuration, UseCaseSender sender)
    : IUseCaseHandler<GetMyReferralInfoRequest, GetMyReferralInfoResponse>
{
    public async Task<Result<GetMyReferralInfoResponse>> Handle(GetMyReferralInfoRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<GetMyReferralInfoResponse>.Unauthorized("Sign in first.");
        }

        var userId = call.Principal.UserId;
        var code = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.ReferralCode).SingleOrDefaultAsync(cancellationToken);
        if (code is null)
        {
            return Result<GetMyReferralInfoResponse>.Unauthorized("The session's user no longer exists.");
        }

        var referees = await db.Users.LongCountAsync(u => u.ReferrerId == userId, cancellationToken);
        var earnings = await sender.SendAsync(Principal.Module, new GetReferralEarningsRequest { UserId = userId }, cancellationToken);
        if (!earnings.IsSuccess)
        {
            return earnings.ToFailure();
        }

        var botUsername = configuration["Telegram:BotUsername"];
        return new GetMyReferralInfoResponse
        {
            ReferralCode = code,
            Link = string.IsNullOrEmpty(botUsername) ? "" : $"https://t.me/{botUsername}?start={ReferralCode.StartPrefix}{code}",
            RefereeCount = referees,
            CreditsEarned = earnings.Value.Credits,
        };
    }
}
