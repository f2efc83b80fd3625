using System.Globalization;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 💰 My balance (<c>/balance</c>): available and reserved credits (and how many of them are plan credits that
/// expire, ADR 0161), the last transactions, the daily reward button, promo code entry and the referral figures.
/// </summary>
internal sealed class MyBalance(ModuleGateway modules, Balances balances) : IChatFeature
{
    private const string Prefix = "bal";

    /// <summary>Callback data of a button that opens this screen from another message.</summary>
    public const string ShowCallback = Prefix + ":show";

    /// <summary>The daily reward button.</summary>
    private const string DailyCallback = Prefix + ":daily";

    /// <summary>The promo code button; its answer is the text sent in <see cref="PromoState"/>.</summary>
    private const string PromoCallback = Prefix + ":promo";

    private const string PromoState = Prefix + ".promo";

    private const int ShownTransactions = 5;

    public IReadOnlyCollection<string> Commands { get; } = ["balance"];

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.balance"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Callback when incoming.CallbackData == DailyCallback:
                await ClaimDailyAsync(session, incoming.CallbackQueryId!, cancellationToken);
                return;
            case IncomingKind.Callback when incoming.CallbackData == ShowCallback:
                session.AnswerCallback(incoming.CallbackQueryId!);
                await ShowAsync(session, cancellationToken);
                return;
            case IncomingKind.Callback when incoming.CallbackData == PromoCallback:
                session.AnswerCallback(incoming.CallbackQueryId!);
                session.State = PromoState;
                session.Send(session.T("balance.ask_promo"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
                return;
            case IncomingKind.Text when session.State == PromoState:
                await RedeemAsync(session, incoming.Argument, cancellationToken);
                return;
            default:
                await ShowAsync(session, cancellationToken);
                return;
        }
    }

    private async Task ShowAsync(ChatSession session, CancellationToken cancellationToken)
    {
        session.State = "";
        var read = await balances.ReadAsync(session.UserId, cancellationToken);
        var balance = read.Balance ?? new Balance();
        var expiring = read is { PlanCredits: > 0, PlanCreditsExpireAt: { } expiresAt }
            ? "\n" + session.T("money.balance_plan_credits", read.PlanCredits, Plans.Day(expiresAt))
            : string.Empty;
        var history = (await modules.AsUserAsync(session.UserId, new ListTransactionsRequest { PageSize = ShownTransactions, Language = session.Language }, cancellationToken))
            .Require("ListTransactions").Transactions;
        var earned = (await modules.AsModuleAsync(new GetReferralEarningsRequest { UserId = session.UserId }, cancellationToken)).Require("GetReferralEarnings").Credits;
        var referral = (await modules.AsUserAsync(session.UserId, new Users.Contracts.V1.GetMyReferralInfoRequest(), cancellationToken)).Require("GetMyReferralInfo");
        var link = referral.Link.Length > 0 ? referral.Link : "/start ref_" + referral.ReferralCode;
        var lines = history.Count == 0
            ? session.T("balance.no_transactions")
            : string.Join("\n", history.Select(t => session.T("balance.transaction",
                t.CreatedAt.ToDateTimeOffset().ToString("dd.MM HH:mm", CultureInfo.InvariantCulture),
                t.Amount > 0 ? "+" + t.Amount.ToString(CultureInfo.InvariantCulture) : t.Amount.ToString(CultureInfo.InvariantCulture),
                t.Description)));
        session.Send(
            session.T("balance.summary", balance.Available, balance.Reserved, lines, earned, link, referral.RefereeCount, expiring),
            [
                [new InlineButton(session.T("balance.daily_button"), DailyCallback), new InlineButton(session.T("balance.promo_button"), PromoCallback)],
                Keyboards.MenuRow(session),
            ]);
    }

    private async Task ClaimDailyAsync(ChatSession session, string callbackQueryId, CancellationToken cancellationToken)
    {
        var claim = (await modules.AsUserAsync(session.UserId, new ClaimDailyRewardRequest { Language = session.Language }, cancellationToken)).Require("ClaimDailyReward");
        session.AnswerCallback(callbackQueryId, claim.Claimed ? session.T("balance.daily_claimed", claim.Credited) : session.T("balance.daily_already"), alert: !claim.Claimed);
        session.Send(claim.Message.Length > 0 ? claim.Message : session.T("balance.now", claim.Balance?.Available ?? 0), [Keyboards.MenuRow(session)]);
    }

    private async Task RedeemAsync(ChatSession session, string code, CancellationToken cancellationToken)
    {
        var redeemed = await modules.AsUserAsync(session.UserId, new RedeemPromoCodeRequest { Code = code.Trim(), Language = session.Language }, cancellationToken);
        session.State = "";
        if (redeemed.IsSuccess)
        {
            session.Send(redeemed.Value.Message, [Keyboards.MenuRow(session)]);
            return;
        }

        // Unknown, expired or used-up codes are ordinary outcomes with a message for the user.
        var reason = redeemed.ValidationErrors.Select(e => e.ErrorMessage).Concat(redeemed.Errors).FirstOrDefault() ?? session.T("balance.promo_invalid");
        session.Send(session.T("balance.promo_failed", reason), [Keyboards.MenuRow(session)]);
    }
}
