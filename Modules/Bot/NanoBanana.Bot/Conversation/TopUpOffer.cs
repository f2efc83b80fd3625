using NanoBanana.Bot.Outbound;

namespace NanoBanana.Bot.Conversation;

/// <summary>Not enough credits: the shortfall and the ways to top up, right where the user is.</summary>
internal sealed class TopUpOffer(Keyboards keyboards, Balances balances)
{
    public async Task OfferAsync(ChatSession session, long price, long shortfall, CancellationToken cancellationToken)
    {
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        session.Send(
            session.T("balance.insufficient", price, shortfall, balance.Available),
            [[keyboards.MiniAppButton(session, "#topup")], Keyboards.MenuRow(session)]);
    }
}
