using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Conversation;

/// <summary>Not enough credits: the shortfall and the ways to top up (the Mini App, Stars packages), right where the user is.</summary>
internal sealed class TopUpOffer(Keyboards keyboards, Balances balances, ModuleGateway modules)
{
    public async Task OfferAsync(ChatSession session, long price, long shortfall, CancellationToken cancellationToken)
    {
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        var packages = await Features.TopUp.ActivePackagesAsync(modules, cancellationToken);
        var starsAccepted = (await Features.TopUp.AcceptedMethodsAsync(modules, cancellationToken)).Contains(Payments.Contracts.V1.PaymentMethod.Stars);
        InlineButton[][] stars = [.. packages.Where(p => starsAccepted && p.PriceStars > 0).Select(p =>
            new[] { new InlineButton(session.T("topup.stars_button", Features.TopUp.Credits(p), p.PriceStars), Features.TopUp.StarsCallback(p.Id)) })];
        session.Send(
            session.T("balance.insufficient", price, shortfall, balance.Available),
            [[keyboards.MiniAppButton(session, "#topup")], .. stars, Keyboards.MenuRow(session)]);
    }
}
