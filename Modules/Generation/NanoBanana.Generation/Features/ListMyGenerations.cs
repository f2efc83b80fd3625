using Ardalis.Result;
using FluentValidation;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Jobs;

namespace NanoBanana.Generation.Features;

/// <summary>The caller's jobs, newest first, a page at a time.</summary>
internal sealed class ListMyGenerations(JobHistory history, CallContext call) : IUseCaseHandler<ListMyGenerationsRequest, ListMyGenerationsResponse>
{
    public async Task<Result<ListMyGenerationsResponse>> Handle(ListMyGenerationsRequest request, CancellationToken cancellationToken)
    {
        if (!call.Principal.IsUser)
        {
            return Result<ListMyGenerationsResponse>.Unauthorized("Sign in to see generations.");
        }

        var page = await history.PageAsync(call.Principal.UserId, request.PageSize, request.Cursor, cancellationToken);
        return page.Map(p =>
        {
            var response = new ListMyGenerationsResponse { NextCursor = p.NextCursor };
            response.Jobs.AddRange(p.Jobs);
            return response;
        });
    }
}

internal sealed class ListMyGenerationsValidator : AbstractValidator<ListMyGenerationsRequest>
{
    public ListMyGenerationsValidator() =>
        RuleFor(r => r.PageSize).InclusiveBetween(0, JobHistory.MaxPageSize).WithMessage($"A page is 1 to {JobHistory.MaxPageSize} jobs (0: {JobHistory.DefaultPageSize}).");
}
