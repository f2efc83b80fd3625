using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Results;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Domain;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>
/// The signed-in user's referral code, link and number of referees. credits_earned stays 0 until
/// Billing publishes referral payouts (Billing owns the money; Users must not guess it).
/// </summary>
internal sealed class GetMyReferralInfo(UsersDbContext db, CallContext call, IConfiguration configuration)
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
        var botUsername = configuration["Telegram:BotUsername"];
        return new GetMyReferralInfoResponse
        {
            ReferralCode = code,
            Link = string.IsNullOrEmpty(botUsername) ? "" : $"https://t.me/{botUsername}?start={ReferralCode.StartPrefix}{code}",
            RefereeCount = referees,
        };
    }
}
