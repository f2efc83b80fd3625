using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using Mapster;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Billing.Features;

/// <summary>
/// The caller's own balance (zero before their first credit) with the part that expires. A user without a paid
/// period gets the free plan's monthly allowance here, the first time they look in a month, from the month after
/// their first credit on (the welcome bonus covers the first one; ADR 0161).
/// </summary>
internal sealed class GetBalance(BillingTransactions transactions, TimeProvider clock, UseCaseSender sender, CallContext call) : IUseCaseHandler<GetBalanceRequest, GetBalanceResponse>
{
    public async Task<Result<GetBalanceResponse>> Handle(GetBalanceRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<GetBalanceResponse>();
        }

        var now = clock.GetUtcNow();
        var due = await transactions.ReadAsync(
            session => session.ScalarAsync<bool>(
                """
                SELECT NOT EXISTS (SELECT 1 FROM billing.user_plans WHERE user_id = @user AND expires_at > @now)
                   AND NOT EXISTS (SELECT 1 FROM billing.idempotency WHERE key = @key)
                   AND EXISTS (SELECT 1 FROM billing.ledger WHERE user_id = @user AND created_at < @month)
                """,
                cancellationToken,
                ("user", userId),
                ("now", now),
                ("month", FreeAllowance.MonthEnd(now).AddMonths(-1)),
                ("key", FreeAllowance.Key(userId, now))),
            cancellationToken);
        if (due && await sender.SendAsync(Principal.Module, new GetPlanRequest { Id = PlanIds.Free }, cancellationToken) is { IsSuccess: true, Value.Plan.MonthlyCredits: > 0 and var allowance })
        {
            await transactions.RunAsync(session => session.GrantAsync(userId, allowance, now, cancellationToken), cancellationToken);
        }

        return await transactions.ReadAsync(
            async session =>
            {
                var account = await session.ReadAccountAsync(userId, cancellationToken);
                var expiring = await session.ReadExpiringAsync(userId, cancellationToken);
                return Result<GetBalanceResponse>.Success(new GetBalanceResponse
                {
                    Balance = account.Adapt<Balance>(),
                    PlanCredits = expiring.Credits,
                    PlanCreditsExpireAt = expiring.FirstExpiry is { } first ? Timestamp.FromDateTimeOffset(first) : null,
                });
            },
            cancellationToken);
    }
}
