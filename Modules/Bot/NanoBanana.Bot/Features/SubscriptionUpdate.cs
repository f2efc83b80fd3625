using Ardalis.Result;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Telegram's `subscription` update (BotSubscriptionUpdated, ADR 0153): the user cancelled or re-enabled their Stars
/// plan in Telegram, or a renewal payment failed. Payments records it; the user is told once what it means for their
/// plan (a repeated state says nothing). A payload that is not ours or a state Telegram may add later is ignored.
/// </summary>
internal sealed class SubscriptionUpdate(ModuleGateway modules) : IChatFeature
{
    public bool ClaimsUpdate(Incoming incoming) => incoming.Update.Subscription is not null;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var update = incoming.Update.Subscription!;
        var state = update.State;
        var recorded = await modules.AsModuleAsync(
            new RecordSubscriptionUpdateRequest { UserId = update.User.Id, InvoicePayload = update.InvoicePayload, State = state }, cancellationToken);
        if (recorded.Status is ResultStatus.NotFound or ResultStatus.Invalid)
        {
            return;
        }

        var result = recorded.Require("RecordSubscriptionUpdate");
        if (!result.Changed)
        {
            return;
        }

        var subscription = result.Subscription;
        var plan = await modules.AsModuleAsync(new GetPlanRequest { Id = subscription.PlanId }, cancellationToken);
        var title = plan.IsSuccess ? Plans.Title(session, plan.Value.Plan) : subscription.PlanId;
        var key = state switch
        {
            "canceled" => "subs.user_cancelled",
            "active" => "subs.user_resumed",
            _ => "subs.renewal_failed",
        };
        session.Send(
            session.T(key, title, Plans.Day(subscription.ExpiresAt)),
            [[new InlineButton(session.T("menu.plans"), Plans.ShowCallback)], Keyboards.MenuRow(session)]);
    }
}
