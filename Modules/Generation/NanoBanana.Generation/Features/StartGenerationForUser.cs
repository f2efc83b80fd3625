using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>The bot adapter starts a job for a Telegram user (module access: in-process only).</summary>
internal sealed class StartGenerationForUser(JobStarter starter) : IUseCaseHandler<StartGenerationForUserRequest, StartGenerationForUserResponse>
{
    public async Task<Result<StartGenerationForUserResponse>> Handle(StartGenerationForUserRequest request, CancellationToken cancellationToken)
    {
        var started = await starter.StartAsync(request.UserId, request.Spec, request.ClientRequestId.Trim(), cancellationToken);
        return started.Map(outcome => new StartGenerationForUserResponse { Outcome = outcome });
    }
}

internal sealed class StartGenerationForUserValidator : AbstractValidator<StartGenerationForUserRequest>
{
    public StartGenerationForUserValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.Spec).MustBeValidSpec();
        RuleFor(r => r.ClientRequestId).MustBeClientRequestId();
    }
}
