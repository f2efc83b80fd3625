using System.Globalization;
using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>Paid orders per UTC day (of payment), method and currency: gross, provider fee, tax, refunds, net.</summary>
internal sealed class GetRevenueReport(PaymentsDbContext db, TimeProvider clock) : IUseCaseHandler<GetRevenueReportRequest, GetRevenueReportResponse>
{
    public async Task<Result<GetRevenueReportResponse>> Handle(GetRevenueReportRequest request, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var to = request.ToDay.Length > 0 ? DateOnly.ParseExact(request.ToDay, "yyyy-MM-dd", CultureInfo.InvariantCulture) : today;
        var from = request.FromDay.Length > 0 ? DateOnly.ParseExact(request.FromDay, "yyyy-MM-dd", CultureInfo.InvariantCulture) : to.AddDays(-29);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "Day", method AS "Method", currency AS "Currency",
                   count(*) AS "Orders", sum(amount_minor) AS "Gross", sum(provider_fee_minor) AS "Fee",
                   sum(tax_minor) AS "Tax", sum(refunded_minor) AS "Refunded"
            FROM payments.orders
            WHERE paid_at >= {start} AND paid_at < {end}
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            """).ToListAsync(cancellationToken);

        var response = new GetRevenueReportResponse();
        response.Rows.Add(rows.Select(r => new RevenueRow
        {
            Day = r.Day,
            Method = (PaymentMethod)r.Method,
            Currency = r.Currency,
            Orders = r.Orders,
            GrossMinor = r.Gross,
            ProviderFeeMinor = r.Fee,
            TaxMinor = r.Tax,
            RefundedMinor = r.Refunded,
            NetMinor = r.Gross - r.Fee - r.Tax - r.Refunded,
        }));
        return response;
    }

    internal sealed record Row(string Day, int Method, string Currency, long Orders, long Gross, long Fee, long Tax, long Refunded);
}

internal sealed class GetRevenueReportValidator : AbstractValidator<GetRevenueReportRequest>
{
    public GetRevenueReportValidator()
    {
        RuleFor(r => r.FromDay).Must(BeDay).WithMessage("from_day must be YYYY-MM-DD.");
        RuleFor(r => r.ToDay).Must(BeDay).WithMessage("to_day must be YYYY-MM-DD.");
        RuleFor(r => r).Must(r => r.FromDay.Length == 0 || r.ToDay.Length == 0 || string.CompareOrdinal(r.FromDay, r.ToDay) <= 0)
            .WithName("from_day").WithMessage("from_day must not be after to_day.");
    }

    private static bool BeDay(string day) => day.Length == 0 || DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
