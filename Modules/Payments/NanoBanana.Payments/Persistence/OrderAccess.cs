using Ardalis.Result;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments.Persistence;

/// <summary>Reads an order on behalf of the caller: users see only their own orders (others look like missing ones).</summary>
internal static class OrderAccess
{
    public static async Task<Result<TopUpOrder>> FindVisibleAsync(this PaymentsDbContext db, Principal principal, string orderId, CancellationToken cancellationToken)
    {
        if (principal.Kind == PrincipalKind.Anonymous)
        {
            return Result<TopUpOrder>.Unauthorized("Sign in to see your orders.");
        }

        var order = Guid.TryParse(orderId, out var id)
            ? await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
            : null;
        return order is null || (principal.IsUser && order.UserId != principal.UserId)
            ? Result<TopUpOrder>.NotFound($"Order '{orderId}' does not exist.")
            : order;
    }
}
