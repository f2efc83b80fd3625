using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// A top-up paid outside the chat (card on the YooKassa page, the sandbox page, the Mini App) is
/// confirmed in the chat too, so the user who comes back from the payment page sees it landed.
/// Stars payments are confirmed by <see cref="SuccessfulPaymentReceipt"/> from the chat's own update.
/// </summary>
internal sealed class PaymentReceipt(BotDbContext db, TimeProvider clock, Texts texts, ModuleGateway modules)
    : InboxEventHandler<PaymentSucceeded, BotDbContext>(db, clock)
{
    protected override async Task HandleOnceAsync(PaymentSucceeded integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (integrationEvent.Method is PaymentMethod.Stars
            || await UserChat.FindAsync(DbContext, texts, integrationEvent.UserId, cancellationToken) is not { } chat)
        {
            return;
        }

        var text = chat.T("topup.paid_elsewhere", integrationEvent.Credits + integrationEvent.BonusCredits);
        if (integrationEvent.PlanId.Length > 0 && integrationEvent.PeriodEndsAt is { } end)
        {
            // A card plan period (ADR 0152): which plan runs until when.
            var plan = await modules.AsModuleAsync(new GetPlanRequest { Id = integrationEvent.PlanId }, cancellationToken);
            text = chat.T("subs.card_period_paid", plan.IsSuccess ? Plans.Title(chat.Language, plan.Value.Plan) : integrationEvent.PlanId, Plans.Day(end), integrationEvent.Credits);
        }

        await chat.Replies.AddAsync(
            new OutMessage
            {
                Kind = OutKind.SendText,
                Text = text,
                Inline = [[new InlineButton(chat.T("menu.balance"), MyBalance.ShowCallback)], [new InlineButton(chat.T("button.menu"), Keyboards.MenuCallback)]],
            },
            cancellationToken);
    }
}
