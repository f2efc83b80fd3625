using Ardalis.Result;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Domain;
using NanoBanana.Payments.Persistence;
using NanoBanana.Payments.Providers.Stars;
using NanoBanana.Payments.Providers.YooKassa;
using NanoBanana.Payments.Settlement;
using Telegram.Bot.Exceptions;

namespace NanoBanana.Payments.Checkout;

/// <summary>What a new order needs to be paid: an invoice link, a confirmation URL or token, a page.</summary>
internal sealed record CheckoutStart(TopUpOrder Order, PackageSnapshot Package, string CheckoutUrl, string ConfirmationToken);

internal sealed record CheckoutOptions(string Language, bool StarsInvoiceLink, string? ReturnUrl = null, bool Embedded = false, string? ReceiptEmail = null, string? ReceiptPhone = null);

/// <summary>
/// Creates an order for a Catalog package and starts it at the provider. The order row is saved
/// before the provider call, so a notification or payment arriving early always finds it.
/// </summary>
internal sealed partial class TopUpCheckout(
    UseCaseSender sender,
    PaymentsDbContext db,
    ITelegramPayments telegram,
    YooKassaClient yooKassa,
    OrderSettlement settlement,
    IOptions<YooKassaOptions> yooKassaOptions,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<TopUpCheckout> logger)
{
    public async Task<Result<CheckoutStart>> StartAsync(long userId, string packageId, OrderMethod method, CheckoutOptions checkout, CancellationToken cancellationToken)
    {
        if (Unavailable(method, checkout) is { } reason)
        {
            return Result<CheckoutStart>.Unavailable(reason);
        }

        var packages = await sender.SendAsync(Principal.Module, new ListPackagesRequest(), cancellationToken);
        if (!packages.IsSuccess)
        {
            return packages.ToFailure();
        }

        if (packages.Value.Packages.SingleOrDefault(p => p.Id == packageId) is not { } found)
        {
            return Result<CheckoutStart>.NotFound($"Package '{packageId}' does not exist or is not on sale.");
        }

        var package = new PackageSnapshot(found.Id, found.Title.Ru, found.Title.En, found.Credits, found.BonusCredits, found.PriceRubKopecks, found.PriceStars);
        if ((method == OrderMethod.Stars ? package.PriceStars : package.PriceRubKopecks) <= 0)
        {
            return Result<CheckoutStart>.Unavailable($"Package '{packageId}' has no price for this payment method.");
        }

        var order = TopUpOrder.Create(userId, package, method, options.Value.OrderLifetime, clock.GetUtcNow());
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);

        var english = Texts.IsEnglish(checkout.Language);
        var title = english ? package.TitleEn : package.TitleRu;
        var description = Describe(package, checkout.Language);
        var token = string.Empty;
        try
        {
            switch (method)
            {
                case OrderMethod.Stars when checkout.StarsInvoiceLink:
                    order.CheckoutUrl = await telegram.CreateInvoiceLinkAsync(new StarsInvoiceRequest(title, description, order.Id.ToString("N"), title, order.AmountMinor), cancellationToken);
                    break;
                case OrderMethod.YooKassa:
                    var payment = await yooKassa.CreatePaymentAsync(YooKassaPayments.ForOrder(order, description, checkout, english, yooKassaOptions.Value), order.Id.ToString(), cancellationToken);
                    order.ProviderPaymentId = payment.Id;
                    order.CheckoutUrl = payment.Confirmation?.ConfirmationUrl;
                    token = payment.Confirmation?.ConfirmationToken ?? string.Empty;
                    break;
                case OrderMethod.Sandbox:
                    order.CheckoutUrl = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/payments/sandbox/{order.Id}";
                    break;
            }
        }
        catch (Exception exception) when (exception is YooKassaException or RequestException or HttpRequestException or TaskCanceledException)
        {
            LogProviderFailed(logger, exception, order.Id, method);
            // The order can never be paid without a link; a late provider success would still settle it.
            await settlement.CancelAsync(order.Id, CancellationToken.None);
            return Result<CheckoutStart>.Unavailable("The payment provider is not answering; please try again in a minute.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return new CheckoutStart(order, package, order.CheckoutUrl ?? string.Empty, token);
    }

    public static string Describe(PackageSnapshot package, string language) =>
        package.BonusCredits > 0
            ? Texts.Catalog.Get(language, "top_up.description_with_bonus", package.Credits, package.BonusCredits)
            : Texts.Catalog.Get(language, "top_up.description", package.Credits);

    private string? Unavailable(OrderMethod method, CheckoutOptions checkout) => method switch
    {
        OrderMethod.Stars when checkout.StarsInvoiceLink && !telegram.IsConfigured => "Telegram Stars payments are not configured.",
        OrderMethod.YooKassa when !yooKassaOptions.Value.IsConfigured => "Card payments are not configured.",
        OrderMethod.Sandbox when !options.Value.SandboxEnabled => "Sandbox payments are turned off.",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting order {OrderId} at {Method} failed; the order is cancelled")]
    private static partial void LogProviderFailed(ILogger logger, Exception exception, Guid orderId, OrderMethod method);
}
