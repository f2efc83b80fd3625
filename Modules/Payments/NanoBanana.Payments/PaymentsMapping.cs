using Google.Protobuf.WellKnownTypes;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Domain;

namespace NanoBanana.Payments;

/// <summary>Entity ↔ contract conversions of the Payments module.</summary>
internal static class PaymentsMapping
{
    public static TopUp ToContract(this TopUpOrder order) => new()
    {
        OrderId = order.Id.ToString(),
        UserId = order.UserId,
        PackageId = order.PackageId,
        Method = order.Method.ToContract(),
        Status = order.Status switch
        {
            OrderStatus.Pending => TopUpStatus.Pending,
            OrderStatus.Succeeded => TopUpStatus.Succeeded,
            OrderStatus.Cancelled => TopUpStatus.Cancelled,
            OrderStatus.PartiallyRefunded => TopUpStatus.PartiallyRefunded,
            _ => TopUpStatus.Refunded,
        },
        AmountMinor = order.AmountMinor,
        Currency = order.Currency,
        Credits = order.Credits,
        BonusCredits = order.BonusCredits,
        CreatedAt = Timestamp.FromDateTimeOffset(order.CreatedAt),
        ExpiresAt = Timestamp.FromDateTimeOffset(order.ExpiresAt),
        PaidAt = order.PaidAt is { } paid ? Timestamp.FromDateTimeOffset(paid) : null,
        RefundedMinor = order.RefundedMinor,
        CheckoutUrl = order.CheckoutUrl ?? string.Empty,
    };

    public static PaymentMethod ToContract(this OrderMethod method) => (PaymentMethod)(int)method;

    public static OrderMethod? ToDomain(this PaymentMethod method) => method switch
    {
        PaymentMethod.Stars => OrderMethod.Stars,
        PaymentMethod.Yookassa => OrderMethod.YooKassa,
        PaymentMethod.Sandbox => OrderMethod.Sandbox,
        _ => null,
    };

    public static bool IsEnglish(string? language) => language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}

internal static class SupportRequestMapping
{
    public static Contracts.V1.SupportRequest ToContract(this Domain.SupportRequest request) => new()
    {
        Id = request.Id.ToString(),
        UserId = request.UserId,
        Text = request.Text,
        OrderId = request.OrderId?.ToString() ?? string.Empty,
        CreatedAt = Timestamp.FromDateTimeOffset(request.CreatedAt),
    };
}
