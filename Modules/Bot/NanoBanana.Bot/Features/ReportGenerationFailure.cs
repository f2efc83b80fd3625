using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// A failed, timed-out or cancelled job: what happened (Generation's own user-facing reason) and
/// what happened to the credits, with "Again" and "Menu".
/// </summary>
internal sealed class ReportGenerationFailure(BotDbContext db, TimeProvider clock, Texts texts)
    : InboxEventHandler<GenerationFailed, BotDbContext>(db, clock)
{
    protected override async Task HandleOnceAsync(GenerationFailed integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (await UserChat.FindAsync(DbContext, texts, integrationEvent.UserId, cancellationToken) is not { } chat
            || !await chat.FinishJobAsync(integrationEvent.JobId, succeeded: false, cancellationToken))
        {
            return;
        }

        var reason = chat.Language == "ru" ? integrationEvent.Reason?.Ru : integrationEvent.Reason?.En;
        var credits = integrationEvent.RefundedCredits > 0
            ? chat.T("result.credits_back", integrationEvent.RefundedCredits)
            : chat.T("result.nothing_charged");
        await chat.Replies.AddAsync(new OutMessage { Kind = OutKind.EditText, Text = chat.T("result.progress_failed") }, cancellationToken, Progress.Slot(integrationEvent.JobId));
        await chat.Replies.AddAsync(
            new OutMessage
            {
                Kind = OutKind.SendText,
                Text = chat.T("result.failed", string.IsNullOrWhiteSpace(reason) ? chat.T("result.failed_unknown") : reason, credits),
                Inline = integrationEvent.Kind == GenerationKind.TryOn
                    ? TryOnFlow.AgainButtons(chat.T)
                    : ResultMessages.Buttons(chat.T, integrationEvent.JobId, integrationEvent.ModelSlug == VideoToolsFlow.ModelSlug ? GenerationKind.VideoTools : GenerationKind.Unspecified),
            },
            cancellationToken);
    }
}
