using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>The bot cancels a job for the Telegram user who owns it.</summary>
internal sealed class CancelGenerationForUser(JobCanceller canceller) : IUseCaseHandler<CancelGenerationForUserRequest, CancelGenerationForUserResponse>
{
    public async Task<Result<CancelGenerationForUserResponse>> Handle(CancelGenerationForUserRequest request, CancellationToken cancellationToken)
    {
        var cancelled = await canceller.CancelAsync(request.UserId, Guid.Parse(request.JobId), cancellationToken);
        return cancelled.Map(job => new CancelGenerationForUserResponse { Job = job });
    }
}

internal sealed class CancelGenerationForUserValidator : AbstractValidator<CancelGenerationForUserRequest>
{
    public CancelGenerationForUserValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.JobId).MustBeJobId();
    }
}
