using System.Globalization;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// ➕ Top up (<c>/topup</c>): the credit packages with their ₽ and ⭐ prices. Stars → a sendInvoice
/// whose payload is the Payments order id; card → the Mini App's checkout; Sandbox → its confirmation
/// page (only when Payments accepts that method).
/// </summary>
internal sealed class TopUp(ModuleGateway modules, Keyboards keyboards, PublicLinks links) : IChatFeature
{
    public const string Prefix = "top";

    /// <summary>Callback actions: the payment method of a package (on the wire as <c>top:method:package</c>).</summary>
    private static class Actions
    {
        public const string Stars = "stars";
        public const string Card = "card";
        public const string Sandbox = "sandbox";
    }

    public IReadOnlyCollection<string> Commands { get; } = ["topup"];

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.top_up"];

    public string? CallbackPrefix => Prefix;

    /// <summary>Callback data of a package's Stars button, also offered where credits ran short.</summary>
    public static string StarsCallback(string packageId) => $"{Prefix}:{Actions.Stars}:{packageId}";

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.Kind is not IncomingKind.Callback)
        {
            await ShowAsync(session, cancellationToken);
            return;
        }

        var parts = incoming.CallbackData!.Split(':', 3);
        var method = parts.Length == 3 ? parts[1] switch
        {
            Actions.Stars => PaymentMethod.Stars,
            Actions.Card => PaymentMethod.Yookassa,
            Actions.Sandbox => PaymentMethod.Sandbox,
            _ => PaymentMethod.Unspecified,
        } : PaymentMethod.Unspecified;
        if (method is PaymentMethod.Unspecified)
        {
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
            return;
        }

        await StartAsync(session, incoming.CallbackQueryId!, parts[2], method, cancellationToken);
    }

    private async Task ShowAsync(ChatSession session, CancellationToken cancellationToken)
    {
        session.State = "";
        var packages = await ActivePackagesAsync(modules, cancellationToken);
        var methods = await AcceptedMethodsAsync(modules, cancellationToken);
        var rows = new List<InlineButton[]>();
        foreach (var package in packages)
        {
            var row = new List<InlineButton>();
            if (methods.Contains(PaymentMethod.Stars) && package.PriceStars > 0)
            {
                row.Add(new InlineButton(session.T("topup.stars_button", Credits(package), package.PriceStars), StarsCallback(package.Id)));
            }

            if (methods.Contains(PaymentMethod.Yookassa))
            {
                row.Add(new InlineButton(session.T("topup.card_button", Rubles(package.PriceRubKopecks)), $"{Prefix}:{Actions.Card}:{package.Id}"));
            }

            if (methods.Contains(PaymentMethod.Sandbox))
            {
                row.Add(new InlineButton(session.T("topup.sandbox_button", Rubles(package.PriceRubKopecks)), $"{Prefix}:{Actions.Sandbox}:{package.Id}"));
            }

            rows.Add([.. row]);
        }

        var lines = string.Join("\n", packages.Select(p => session.T("topup.package_line",
            Title(session, p), Credits(p), Rubles(p.PriceRubKopecks), p.PriceStars)));
        rows.Add([keyboards.MiniAppButton(session, "#topup")]);
        rows.Add(Keyboards.MenuRow(session));
        session.Send(session.T("topup.choose", lines), [.. rows]);
    }

    private async Task StartAsync(ChatSession session, string callbackQueryId, string packageId, PaymentMethod method, CancellationToken cancellationToken)
    {
        var created = await modules.AsModuleAsync(
            new CreateBotTopUpRequest { UserId = session.UserId, PackageId = packageId, Method = method, Language = session.Language }, cancellationToken);
        if (!created.IsSuccess)
        {
            // An inactive package, or a method switched off since the list was shown.
            session.AnswerCallback(callbackQueryId, session.T("topup.unavailable"), alert: true);
            return;
        }

        session.AnswerCallback(callbackQueryId);
        var order = created.Value;
        if (method is PaymentMethod.Stars)
        {
            var invoice = order.Invoice;
            session.SendInvoice(new InvoiceSpec(invoice.Title, invoice.Description, invoice.Payload, invoice.Currency, invoice.PriceLabel, checked((int)invoice.Amount)));
            return;
        }

        session.Send(
            session.T(method is PaymentMethod.Sandbox ? "topup.sandbox_link" : "topup.card_link", order.TopUp.Credits + order.TopUp.BonusCredits),
            [[new InlineButton(session.T("topup.pay_button"), Url: links.Absolute(order.CheckoutUrl))], Keyboards.MenuRow(session)]);
    }

    public static async Task<IReadOnlyList<Package>> ActivePackagesAsync(ModuleGateway modules, CancellationToken cancellationToken) =>
        [.. (await modules.AsModuleAsync(new ListPackagesRequest(), cancellationToken)).Require("ListPackages").Packages
            .Where(p => p.Active).OrderBy(p => p.SortOrder)];

    /// <summary>The methods Payments accepts right now (a provider can be switched off or unconfigured).</summary>
    public static async Task<IReadOnlyCollection<PaymentMethod>> AcceptedMethodsAsync(ModuleGateway modules, CancellationToken cancellationToken) =>
        [.. (await modules.AsModuleAsync(new ListPaymentMethodsRequest(), cancellationToken)).Require("ListPaymentMethods").Methods];

    public static long Credits(Package package) => package.Credits + package.BonusCredits;

    private static string Title(ChatSession session, Package package) =>
        (session.Language == "ru" ? package.Title?.Ru : package.Title?.En) is { Length: > 0 } title ? title : package.Id;

    private static string Rubles(long kopecks) =>
        kopecks % 100 == 0
            ? (kopecks / 100).ToString(CultureInfo.InvariantCulture)
            : (kopecks / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
