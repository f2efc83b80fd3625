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

/// <summary>The Sandbox page's "Pay": settles the order as if a provider had confirmed it (repeating it changes nothing).</summary>
internal sealed class ConfirmSandboxPayment(PaymentsDbContext db, OrderSettlement settlement, IOptions<PaymentsOptions> options)
    : IUseCaseHandler<ConfirmSandboxPaymentRequest, ConfirmSandboxPaymentResponse>
{
    public async Task<Result<ConfirmSandboxPaymentResponse>> Handle(ConfirmSandboxPaymentRequest request, CancellationToken cancellationToken)
    {
        if (!options.Value.SandboxEnabled)
        {
            return Result<ConfirmSandboxPaymentResponse>.Unavailable("Sandbox payments are turned off.");
        }

        var id = Guid.Parse(request.OrderId);
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.Method == OrderMethod.Sandbox, cancellationToken);
        if (order is null)
        {
            return Result<ConfirmSandboxPaymentResponse>.NotFound($"Sandbox order '{request.OrderId}' does not exist.");
        }

        if (order.Status == OrderStatus.Cancelled)
        {
            return Result<ConfirmSandboxPaymentResponse>.Conflict("The order was cancelled; start a new top-up.");
        }

        var (_, settled) = await settlement.SucceedAsync(id, "sandbox:" + id.ToString("N"), order.AmountMinor, cancellationToken);
        return new ConfirmSandboxPaymentResponse { TopUp = settled!.Adapt<TopUp>() };
    }
}

internal sealed class ConfirmSandboxPaymentValidator : AbstractValidator<ConfirmSandboxPaymentRequest>
{
    public ConfirmSandboxPaymentValidator() => RuleFor(r => r.OrderId).Must(id => Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
}
