using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>The bot's /stats: orders paid since a moment per method and currency (gross, before fees and refunds) and the orders still open.</summary>
internal sealed class GetPaymentStats(PaymentsDbContext db) : IUseCaseHandler<GetPaymentStatsRequest, GetPaymentStatsResponse>
{
    public async Task<Result<GetPaymentStatsResponse>> Handle(GetPaymentStatsRequest request, CancellationToken cancellationToken)
    {
        var since = request.Since.ToDateTimeOffset();
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT method AS "Method", currency AS "Currency", count(*) AS "Orders",
                   sum(amount_minor)::bigint AS "Gross", sum(credits + bonus_credits)::bigint AS "Credits"
            FROM payments.orders
            WHERE paid_at >= {since}
            GROUP BY 1, 2
            ORDER BY 1, 2
            """).ToListAsync(cancellationToken);
        var pending = await db.Database.SqlQuery<long>($"""
            SELECT count(*) AS "Value" FROM payments.orders WHERE status = {(int)OrderStatus.Pending}
            """).SingleAsync(cancellationToken);

        var response = new GetPaymentStatsResponse { PendingOrders = pending };
        response.Totals.Add(rows.Select(r => new PaymentTotal
        {
            Method = (PaymentMethod)r.Method,
            Currency = r.Currency,
            Orders = r.Orders,
            GrossMinor = r.Gross,
            Credits = r.Credits,
        }));
        return response;
    }

    internal sealed record Row(int Method, string Currency, long Orders, long Gross, long Credits);
}

internal sealed class GetPaymentStatsValidator : AbstractValidator<GetPaymentStatsRequest>
{
    public GetPaymentStatsValidator() => RuleFor(r => r.Since).NotNull().WithMessage("since is required.");
}
