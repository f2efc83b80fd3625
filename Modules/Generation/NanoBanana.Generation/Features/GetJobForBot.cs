using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Features;

/// <summary>Any job by id for the bot adapter (module access), with queue position and estimate.</summary>
internal sealed class GetJobForBot(GenerationDbContext db, QueueEstimator estimator, TimeProvider clock) : IUseCaseHandler<GetJobForBotRequest, GetJobForBotResponse>
{
    public async Task<Result<GetJobForBotResponse>> Handle(GetJobForBotRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(request.JobId);
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media).SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job is null
            ? Result<GetJobForBotResponse>.NotFound("No such generation.")
            : new GetJobForBotResponse { Job = JobMapping.AdaptToJob(job, clock.GetUtcNow(), await estimator.SnapshotAsync(job, cancellationToken)) };
    }
}

internal sealed class GetJobForBotValidator : AbstractValidator<GetJobForBotRequest>
{
    public GetJobForBotValidator() => RuleFor(r => r.JobId).MustBeJobId();
}
