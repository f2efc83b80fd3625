using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Payments.Providers.Sandbox;

/// <summary>
/// The offline provider's "bank page": shows the order with Pay and Cancel. Only mapped when the
/// sandbox is enabled; every value is HTML-encoded.
/// </summary>
internal static class SandboxCheckoutPage
{
    public const string Route = "/payments/sandbox/{orderId:guid}";

    private const string Style = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem 0}";

    // The page is the sandbox bank's, not the user's: it reads and settles any order, as the module.
    public static async Task<IResult> ShowAsync(Guid orderId, UseCaseSender sender, CancellationToken cancellationToken)
    {
        var found = await sender.SendAsync(Principal.Module, new GetTopUpRequest { OrderId = orderId.ToString() }, cancellationToken);
        return found.IsSuccess ? Page(found.Value.TopUp, null) : Page(null, "Order not found / Заказ не найден");
    }

    public static async Task<IResult> PayAsync(Guid orderId, UseCaseSender sender, CancellationToken cancellationToken)
    {
        var paid = await sender.SendAsync(Principal.Module, new ConfirmSandboxPaymentRequest { OrderId = orderId.ToString() }, cancellationToken);
        return paid.IsSuccess ? Page(paid.Value.TopUp, null) : Page(null, string.Join("; ", paid.Errors));
    }

    public static async Task<IResult> CancelAsync(Guid orderId, UseCaseSender sender, CancellationToken cancellationToken)
    {
        var cancelled = await sender.SendAsync(Principal.Module, new CancelSandboxPaymentRequest { OrderId = orderId.ToString() }, cancellationToken);
        return cancelled.IsSuccess ? Page(cancelled.Value.TopUp, null) : Page(null, string.Join("; ", cancelled.Errors));
    }

    private static IResult Page(TopUp? order, string? error)
    {
        var html = HtmlEncoder.Default;
        var body = order is null
            ? $"<p id=\"error\">{html.Encode(error ?? "error")}</p>"
            : $"""
              <p>Order / Заказ: <code>{html.Encode(order.OrderId)}</code></p>
              <p>Package / Пакет: {html.Encode(order.PackageId)} — {order.Credits + order.BonusCredits} credits</p>
              <p>Amount / Сумма: {order.AmountMinor / 100}.{order.AmountMinor % 100:D2} {html.Encode(order.Currency)}</p>
              <p>Status / Статус: <strong id="status">{html.Encode(order.Status.ToString())}</strong></p>
              {(order.Status == TopUpStatus.Pending ? $"""
                <form method="post" action="/payments/sandbox/{html.Encode(order.OrderId)}/pay"><button id="pay" type="submit">Pay / Оплатить</button></form>
                <form method="post" action="/payments/sandbox/{html.Encode(order.OrderId)}/cancel"><button id="cancel" type="submit">Cancel / Отменить</button></form>
                """ : "<p>You can close this page and go back. / Можно закрыть страницу и вернуться.</p>")}
              """;
        return Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Sandbox payment</title>
            <style>{Style}</style>
            </head><body><h1>Sandbox payment / Тестовая оплата</h1>{body}</body></html>
            """,
            "text/html; charset=utf-8");
    }
}
