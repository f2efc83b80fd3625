using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;
using NanoBanana.BuildingBlocks.Mediation;

namespace NanoBanana.Billing.Features;

/// <summary>Support view of any user's balance and ledger with audit fields, newest first.</summary>
internal sealed class GetUserLedger(BillingTransactions transactions) : IUseCaseHandler<GetUserLedgerRequest, GetUserLedgerResponse>
{
    public Task<Result<GetUserLedgerResponse>> Handle(GetUserLedgerRequest request, CancellationToken cancellationToken) =>
        transactions.ReadAsync(
            async session =>
            {
                var account = await session.ReadAccountAsync(request.UserId, cancellationToken);
                var (entries, next) = await session.ReadAsync(request.UserId, request.PageToken, request.PageSize, request.Language, cancellationToken);
                var response = new GetUserLedgerResponse { Balance = account.Adapt<Balance>(), NextPageToken = next };
                response.Entries.Add(entries);
                return Result<GetUserLedgerResponse>.Success(response);
            },
            cancellationToken);
}

internal sealed class GetUserLedgerValidator : AbstractValidator<GetUserLedgerRequest>
{
    public GetUserLedgerValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0).WithMessage("A user id is required.");
        RuleFor(r => r.PageSize).MustBePageSize();
        RuleFor(r => r.PageToken).MustBePageToken();
        RuleFor(r => r.Language).MustBeLanguage();
    }
}
