using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>A user cancels one of their jobs; cancelling a finished job changes nothing and returns it.</summary>
internal sealed class CancelGeneration(JobCanceller canceller, CallContext call) : IUseCaseHandler<CancelGenerationRequest, CancelGenerationResponse>
{
    public async Task<Result<CancelGenerationResponse>> Handle(CancelGenerationRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<CancelGenerationResponse>.Unauthorized("Sign in to manage generations.");
        }

        var cancelled = await canceller.CancelAsync(call.Principal.UserId, Guid.Parse(request.JobId), cancellationToken);
        return cancelled.Map(job => new CancelGenerationResponse { Job = job });
    }
}

internal sealed class CancelGenerationValidator : AbstractValidator<CancelGenerationRequest>
{
    public CancelGenerationValidator() => RuleFor(r => r.JobId).MustBeJobId();
}
