using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Subscriptions;

namespace NanoBanana.Payments.Features;

/// <summary>Renews again a subscription the bot cancelled while its period still runs.</summary>
internal sealed class ResumeSubscription(SubscriptionRenewal renewal) : IUseCaseHandler<ResumeSubscriptionRequest, ResumeSubscriptionResponse>
{
    public async Task<Result<ResumeSubscriptionResponse>> Handle(ResumeSubscriptionRequest request, CancellationToken cancellationToken) =>
        (await renewal.SetCanceledAsync(request.UserId, canceled: false, cancellationToken)).Map(s => new ResumeSubscriptionResponse { Subscription = s });
}

internal sealed class ResumeSubscriptionValidator : AbstractValidator<ResumeSubscriptionRequest>
{
    public ResumeSubscriptionValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
