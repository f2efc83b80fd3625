using Ardalis.Result;
using FluentValidation;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Billing.Features;

/// <summary>The user's plan at this moment: the paid one while its period runs, the free plan before and after.</summary>
internal sealed class GetUserPlan(BillingTransactions transactions, TimeProvider clock) : IUseCaseHandler<GetUserPlanRequest, GetUserPlanResponse>
{
    public Task<Result<GetUserPlanResponse>> Handle(GetUserPlanRequest request, CancellationToken cancellationToken) =>
        transactions.ReadAsync(
            async session =>
            {
                await using var command = session.Command(
                    "SELECT plan_id, expires_at FROM billing.user_plans WHERE user_id = @user AND expires_at > @now",
                    ("user", request.UserId),
                    ("now", clock.GetUtcNow()));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return Result<GetUserPlanResponse>.Success(await reader.ReadAsync(cancellationToken)
                    ? new GetUserPlanResponse { PlanId = reader.GetString(0), ExpiresAt = Timestamp.FromDateTime(reader.GetFieldValue<DateTime>(1)) }
                    : new GetUserPlanResponse { PlanId = PlanIds.Free });
            },
            cancellationToken);
}

internal sealed class GetUserPlanValidator : AbstractValidator<GetUserPlanRequest>
{
    public GetUserPlanValidator() => RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
}
