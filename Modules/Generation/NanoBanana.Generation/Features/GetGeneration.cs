using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;
using NanoBanana.Generation.Persistence;
using NanoBanana.Generation.Queue;

namespace NanoBanana.Generation.Features;

/// <summary>One of the caller's jobs with its queue position and estimate; another user's job is "not found".</summary>
internal sealed class GetGeneration(GenerationDbContext db, QueueEstimator estimator, CallContext call, TimeProvider clock)
    : IUseCaseHandler<GetGenerationRequest, GetGenerationResponse>
{
    public async Task<Result<GetGenerationResponse>> Handle(GetGenerationRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<GetGenerationResponse>.Unauthorized("Sign in to see generations.");
        }

        var id = Guid.Parse(request.JobId);
        var job = await db.Jobs.AsNoTracking().Include(j => j.VideoTools).Include(j => j.Media)
            .SingleOrDefaultAsync(j => j.Id == id && j.UserId == call.Principal.UserId, cancellationToken);
        return job is null
            ? Result<GetGenerationResponse>.NotFound("No such generation.")
            : new GetGenerationResponse { Job = JobMapping.AdaptToJob(job, clock.GetUtcNow(), await estimator.SnapshotAsync(job, cancellationToken)) };
    }
}

internal sealed class GetGenerationValidator : AbstractValidator<GetGenerationRequest>
{
    public GetGenerationValidator() => RuleFor(r => r.JobId).MustBeJobId();
}
