using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Moves a job's progress message along (queue place and time left, then elapsed time; <see cref="ProgressTicker"/>
/// refreshes the place while the job waits and counts the seconds while it runs). Edits of one message
/// coalesce in the outbound queue and are spaced by the sender, so a burst of events costs one edit.
/// </summary>
internal sealed class GenerationProgress(BotDbContext db, TimeProvider clock, Texts texts, IOptions<BotOptions> options)
    : InboxEventHandler<GenerationStatusChanged, BotDbContext>(db, clock)
{
    protected override async Task HandleOnceAsync(GenerationStatusChanged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        // Outcomes are told by their own events; a late progress event must not overwrite them.
        if (integrationEvent.Status is not (JobStatus.Queued or JobStatus.Running)
            || await UserChat.IsFinishedAsync(DbContext, integrationEvent.JobId, cancellationToken)
            || await UserChat.FindAsync(DbContext, texts, integrationEvent.UserId, cancellationToken) is not { } chat)
        {
            return;
        }

        if (integrationEvent.Step != VideoToolsStep.Unspecified)
        {
            // A video-tools step says where the job is; elapsed-time ticks would overwrite it.
            await chat.StopTrackingAsync(integrationEvent.JobId, cancellationToken);
            var step = chat.T(VideoToolsFlow.StepKey(integrationEvent.Step), []);
            await chat.Replies.AddAsync(new OutMessage { Kind = OutKind.EditText, Text = chat.T("videotools.progress", step, integrationEvent.ElapsedSeconds) }, cancellationToken, Progress.Slot(integrationEvent.JobId));
            return;
        }

        var text = Progress.Text(chat.T, integrationEvent.Status, integrationEvent.QueuePosition, integrationEvent.EstimateSeconds, integrationEvent.ElapsedSeconds);
        await chat.Replies.AddAsync(new OutMessage { Kind = OutKind.EditText, Text = text }, cancellationToken, Progress.Slot(integrationEvent.JobId));
        if (integrationEvent.Status is JobStatus.Queued)
        {
            await chat.TrackQueuedAsync(integrationEvent.JobId, text, options.Value.ProgressTickInterval, cancellationToken);
        }
        else
        {
            var runningSince = integrationEvent.OccurredAt.ToDateTimeOffset() - TimeSpan.FromSeconds(integrationEvent.ElapsedSeconds);
            await chat.TrackRunningAsync(integrationEvent.JobId, runningSince, options.Value.ProgressTickInterval, cancellationToken);
        }
    }
}
