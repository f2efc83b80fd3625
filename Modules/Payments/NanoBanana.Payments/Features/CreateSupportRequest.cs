using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>/paysupport: the user's message is stored for the support team.</summary>
internal sealed class CreateSupportRequest(PaymentsDbContext db, TimeProvider clock) : IUseCaseHandler<CreateSupportRequestRequest, CreateSupportRequestResponse>
{
    public async Task<Result<CreateSupportRequestResponse>> Handle(CreateSupportRequestRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var entry = new Domain.SupportRequest
        {
            Id = Guid.CreateVersion7(now),
            UserId = request.UserId,
            Text = request.Text.Trim(),
            OrderId = Guid.TryParse(request.OrderId, out var orderId) ? orderId : null,
            CreatedAt = now,
        };
        db.SupportRequests.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return new CreateSupportRequestResponse { Request = entry.Adapt<Contracts.V1.SupportRequest>() };
    }
}

internal sealed class CreateSupportRequestValidator : AbstractValidator<CreateSupportRequestRequest>
{
    public CreateSupportRequestValidator()
    {
        RuleFor(r => r.UserId).GreaterThan(0);
        RuleFor(r => r.Text).Must(t => t.Trim().Length > 0).WithMessage("Describe the problem.").MaximumLength(4000);
        RuleFor(r => r.OrderId).Must(id => id.Length == 0 || Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
    }
}
