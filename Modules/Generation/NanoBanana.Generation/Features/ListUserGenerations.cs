using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>A Telegram user's jobs for the bot's "My jobs" list.</summary>
internal sealed class ListUserGenerations(JobHistory history) : IUseCaseHandler<ListUserGenerationsRequest, ListUserGenerationsResponse>
{
    public async Task<Result<ListUserGenerationsResponse>> Handle(ListUserGenerationsRequest request, CancellationToken cancellationToken)
    {
        var page = await history.PageAsync(request.UserId, request.PageSize, request.Cursor, cancellationToken);
        return page.Map(p =>
        {
            var response = new ListUserGenerationsResponse { NextCursor = p.NextCursor };
            response.Jobs.AddRange(p.Jobs);
            return response;
        });
    }
}

internal sealed class ListUserGenerationsValidator : AbstractValidator<ListUserGenerationsRequest>
{
    public ListUserGenerationsValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.PageSize).InclusiveBetween(0, JobHistory.MaxPageSize).WithMessage($"A page is 1 to {JobHistory.MaxPageSize} jobs (0: {JobHistory.DefaultPageSize}).");
    }
}
