using Ardalis.Result;
using FluentValidation;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Domain;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;

namespace NanoBanana.Billing.Features;

/// <summary>The caller's own transactions, newest first, described in their language.</summary>
internal sealed class ListTransactions(BillingTransactions transactions, CallContext call) : IUseCaseHandler<ListTransactionsRequest, ListTransactionsResponse>
{
    public async Task<Result<ListTransactionsResponse>> Handle(ListTransactionsRequest request, CancellationToken cancellationToken)
    {
        if (!call.TryGetUser(out var userId))
        {
            return Caller.NotSignedIn<ListTransactionsResponse>();
        }

        var (entries, next) = await transactions.ReadAsync(
            session => session.ReadAsync(userId, request.PageToken, request.PageSize, request.Language, cancellationToken), cancellationToken);
        var response = new ListTransactionsResponse { NextPageToken = next };
        response.Transactions.Add(entries.Select(e => new Transaction
        {
            Id = e.Id,
            Kind = e.Kind,
            Amount = e.Amount,
            AvailableAfter = e.AvailableAfter,
            ReservedAfter = e.ReservedAfter,
            Description = e.Description,
            CreatedAt = e.CreatedAt,
        }));
        return response;
    }
}

internal sealed class ListTransactionsValidator : AbstractValidator<ListTransactionsRequest>
{
    public ListTransactionsValidator()
    {
        RuleFor(r => r.PageSize).MustBePageSize();
        RuleFor(r => r.PageToken).MustBePageToken();
        RuleFor(r => r.Language).MustBeLanguage();
    }
}
