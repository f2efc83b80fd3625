using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>A Mini App user starts a job for themselves (the user comes from the call's principal).</summary>
internal sealed class StartGeneration(JobStarter starter, CallContext call) : IUseCaseHandler<StartGenerationRequest, StartGenerationResponse>
{
    public async Task<Result<StartGenerationResponse>> Handle(StartGenerationRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<StartGenerationResponse>.Unauthorized("Sign in to generate.");
        }

        var started = await starter.StartAsync(call.Principal.UserId, request.Spec, request.ClientRequestId.Trim(), cancellationToken);
        return started.Map(outcome => new StartGenerationResponse { Outcome = outcome });
    }
}

internal sealed class StartGenerationValidator : AbstractValidator<StartGenerationRequest>
{
    public StartGenerationValidator()
    {
        RuleFor(r => r.Spec).MustBeValidSpec();
        RuleFor(r => r.ClientRequestId).MustBeClientRequestId();
    }
}
