using System.Runtime.CompilerServices;
using Ardalis.Result;
using FluentValidation;
using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;

namespace NanoBanana.Payments.Features;

/// <summary>
/// The order now and on every status change until it settles. Polls the database (any replica may
/// settle the order), so it needs no cross-replica signalling.
/// </summary>
internal sealed class WatchTopUp(PaymentsDbContext db, CallContext call, IServiceScopeFactory scopes, IOptions<PaymentsOptions> options, TimeProvider clock)
    : IStreamUseCaseHandler<WatchTopUpRequest, WatchTopUpResponse>
{
    public async Task<Result<IAsyncEnumerable<WatchTopUpResponse>>> Handle(WatchTopUpRequest request, CancellationToken cancellationToken)
    {
        var first = await db.FindVisibleAsync(call.Principal, request.OrderId, cancellationToken);
        return first.Map(order => StreamAsync(order, CancellationToken.None));
    }

    private async IAsyncEnumerable<WatchTopUpResponse> StreamAsync(TopUpOrder order, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new WatchTopUpResponse { TopUp = order.Adapt<TopUp>() };
        var status = order.Status;
        while (status == OrderStatus.Pending)
        {
            await Task.Delay(options.Value.WatchPollInterval, clock, cancellationToken);
            await using var scope = scopes.CreateAsyncScope();
            var current = await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id, cancellationToken);
            if (current.Status != status)
            {
                status = current.Status;
                yield return new WatchTopUpResponse { TopUp = current.Adapt<TopUp>() };
            }
        }
    }
}

internal sealed class WatchTopUpValidator : AbstractValidator<WatchTopUpRequest>
{
    public WatchTopUpValidator() => RuleFor(r => r.OrderId).Must(id => Guid.TryParse(id, out _)).WithMessage("order_id must be an order id.");
}
