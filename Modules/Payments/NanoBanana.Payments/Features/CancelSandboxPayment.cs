using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Settlement;

namespace NanoBanana.Payments.Features;

/// <summary>The Sandbox page's "Cancel": a pending order is cancelled; a paid one stays paid (Conflict).</summary>
internal sealed class CancelSandboxPayment(PaymentsDbContext db, OrderSettlement settlement, IOptions<PaymentsOptions> options)
    : IUseCaseHandler<CancelSandboxPaymentRequest, CancelSandboxPaymentResponse>
{
    public async Task<Result<CancelSandboxPaymentResponse>> Handle(CancelSandboxPaymentRequest request, CancellationToken cancellationToken)
    {
        if (!options.Value.SandboxEnabled)
        {
            return Result<CancelSandboxPaymentResponse>.Unavailable("Sandbox payments are turned off.");
        }

        var id = Guid.Parse(request.OrderId);
        if (!await db.Orders.AnyAsync(o => o.Id == id && o.Method == OrderMethod.Sandbox, cancellationToken))
        {
            return Result<CancelSandboxPaymentResponse>.NotFound($"Sandbox order '{request.OrderId}' does not exist.");
        }

        var (_, order) = await settlement.CancelAsync(id, cancellationToken);
        return order!.IsPaid
            ? Result<CancelSandboxPaymentResponse>.Conflict("The order is already paid.")
            : new CancelSandboxPaymentResponse { TopUp = order.Adapt<TopUp>() };
    }
}

internal sealed class CancelSandboxPaymentValidator : AbstractValidator<CancelSandboxPaymentRequest>
{
    public CancelSandboxPaymentValidator() => RuleFor(r => r.OrderId).Must(id => Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
}
