using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// A card plan's automatic renewal was declined (ADR 0152): the user learns why, that the plan ends with the paid
/// period and that their credits stay. Telegram's own failed renewals are told from the chat's update
/// (<see cref="SubscriptionUpdate"/>).
/// </summary>
internal sealed class RenewalFailedNotice(BotDbContext db, TimeProvider clock, Texts texts, ModuleGateway modules)
    : InboxEventHandler<SubscriptionRenewalFailed, BotDbContext>(db, clock)
{
    private static readonly HashSet<string> ExplainedReasons = ["insufficient_funds", "permission_revoked", "card_expired"];

    protected override async Task HandleOnceAsync(SubscriptionRenewalFailed integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (integrationEvent.Method is PaymentMethod.Stars
            || await UserChat.FindAsync(DbContext, texts, integrationEvent.UserId, cancellationToken) is not { } chat)
        {
            return;
        }

        var plan = await modules.AsModuleAsync(new GetPlanRequest { Id = integrationEvent.PlanId }, cancellationToken);
        var title = plan.IsSuccess ? Plans.Title(chat.Language, plan.Value.Plan) : integrationEvent.PlanId;
        var reason = chat.T(ExplainedReasons.Contains(integrationEvent.Reason) ? "subs.reason." + integrationEvent.Reason : "subs.reason.declined");
        await chat.Replies.AddAsync(
            new OutMessage
            {
                Kind = OutKind.SendText,
                Text = chat.T("subs.card_renewal_failed", title, integrationEvent.ExpiresAt is { } end ? Plans.Day(end) : "—", reason),
                Inline = [[new InlineButton(chat.T("menu.plans"), Plans.ShowCallback)], [new InlineButton(chat.T("button.menu"), Keyboards.MenuCallback)]],
            },
            cancellationToken);
    }
}
