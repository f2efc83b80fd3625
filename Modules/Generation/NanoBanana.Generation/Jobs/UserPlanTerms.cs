using Ardalis.Result;
using MediatR;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Generation.Jobs;

/// <summary>What the user's plan means for a new job: how many jobs a day (0 = no limit) and how far ahead in the queue.</summary>
internal sealed record PlanTerms(string PlanId, int DailyJobLimit, int QueuePriority);

/// <summary>The user's plan now (Billing) with its terms (Catalog), read once per job start (ADR 0150).</summary>
internal sealed class UserPlanTerms(IMediator mediator)
{
    public async Task<Result<PlanTerms>> ForUserAsync(long userId, CancellationToken cancellationToken)
    {
        var current = await mediator.Send(new GetUserPlanRequest { UserId = userId }, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.ToFailure();
        }

        var planId = current.Value.PlanId;
        var plan = await mediator.Send(new GetPlanRequest { Id = planId }, cancellationToken);
        return plan.Status switch
        {
            ResultStatus.Ok => new PlanTerms(planId, plan.Value.Plan.DailyJobLimit, plan.Value.Plan.QueuePriority),
            // A plan missing from the catalog limits nobody: the user paid for it, the catalog lost it.
            ResultStatus.NotFound => new PlanTerms(planId, 0, 0),
            _ => plan.ToFailure(),
        };
    }
}
