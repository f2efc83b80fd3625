using Ardalis.Result;
using FluentValidation;
using Mapster;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

internal sealed class GetTopUp(PaymentsDbContext db, CallContext call) : IUseCaseHandler<GetTopUpRequest, GetTopUpResponse>
{
    public async Task<Result<GetTopUpResponse>> Handle(GetTopUpRequest request, CancellationToken cancellationToken) =>
        (await db.FindVisibleAsync(call.Principal, request.OrderId, cancellationToken)).Map(o => new GetTopUpResponse { TopUp = o.Adapt<TopUp>() });
}

internal sealed class GetTopUpValidator : AbstractValidator<GetTopUpRequest>
{
    public GetTopUpValidator() => RuleFor(r => r.OrderId).Must(id => Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
}
