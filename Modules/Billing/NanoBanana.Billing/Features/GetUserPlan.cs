using Ardalis.Result;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Billing.Features;

/// <summary>
/// The user's plan at this moment: the paid one while its period runs, the free plan before and after; with the
/// user's credits that expire (a period without rollover, the free allowance — ADR 0161).
/// </summary>
internal sealed class GetUserPlan(BillingTransactions transactions, TimeProvider clock) : IUseCaseHandler<GetUserPlanRequest, GetUserPlanResponse>
{
    public Task<Result<GetUserPlanResponse>> Handle(GetUserPlanRequest request, CancellationToken cancellationToken) =>
        transactions.ReadAsync(
            async session =>
            {
                GetUserPlanResponse response;
                await using (var command = session.Command(
                    "SELECT plan_id, expires_at FROM billing.user_plans WHERE user_id = @user AND expires_at > @now",
                    ("user", request.UserId),
                    ("now", clock.GetUtcNow())))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    response = await reader.ReadAsync(cancellationToken)
                        ? new GetUserPlanResponse { PlanId = reader.GetString(0), ExpiresAt = Timestamp.FromDateTime(reader.GetFieldValue<DateTime>(1)) }
                        : new GetUserPlanResponse { PlanId = PlanIds.Free };
                }

                var expiring = await session.ReadExpiringAsync(request.UserId, cancellationToken);
                response.PlanCredits = expiring.Credits;
                response.PlanCreditsExpireAt = expiring.FirstExpiry is { } first ? Timestamp.FromDateTimeOffset(first) : null;
                return Result<GetUserPlanResponse>.Success(response);
            },
            cancellationToken);
}

internal sealed class GetUserPlanValidator : AbstractValidator<GetUserPlanRequest>
{
    public GetUserPlanValidator() => RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
}
