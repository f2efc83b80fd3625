using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Hands a finished job to the user: the progress message turns into "done" and the media follow
/// with model, prompt and cost. The messages are queued in the inbox transaction, so once the event
/// counts as handled the delivery is persisted and survives a crash.
/// </summary>
internal sealed class DeliverGenerationResult(BotDbContext db, TimeProvider clock, Texts texts, ModuleGateway modules, ResultMessages results)
    : InboxEventHandler<GenerationSucceeded, BotDbContext>(db, clock)
{
    protected override async Task HandleOnceAsync(GenerationSucceeded integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (await UserChat.FindAsync(DbContext, texts, integrationEvent.UserId, cancellationToken) is not { } chat
            || !await chat.FinishJobAsync(integrationEvent.JobId, succeeded: true, cancellationToken))
        {
            return;
        }

        await chat.Replies.AddAsync(new OutMessage { Kind = OutKind.EditText, Text = chat.T("result.progress_done") }, cancellationToken, Progress.Slot(integrationEvent.JobId));
        var modelName = integrationEvent.Kind switch
        {
            GenerationKind.VideoTools => chat.T("videotools.name"),
            GenerationKind.TryOn => chat.T("tryon.name"),
            _ => await ModelNameAsync(modules, chat.Language, integrationEvent.ModelSlug, cancellationToken),
        };
        // Video tools and try-on are described in the chat's language; their prompt column is the operators' English.
        var prompt = integrationEvent.VideoTools is { } choice ? VideoToolsFlow.Summary(chat.T, choice)
            : integrationEvent.Kind == GenerationKind.TryOn ? TryOnFlow.Summary(chat.T, integrationEvent.TryOnZone)
            : integrationEvent.Prompt;
        foreach (var message in results.Build(
            chat.T, integrationEvent.JobId, integrationEvent.Kind, modelName, prompt, integrationEvent.CostCredits, integrationEvent.ImageCount, integrationEvent.ReleasedCredits, integrationEvent.Media))
        {
            await chat.Replies.AddAsync(message, cancellationToken);
        }
    }

    /// <summary>A listed job's name and what it was asked, in the reader's language (video tools have no catalog model).</summary>
    public static async Task<(string Name, string Prompt)> DescribeAsync(ModuleGateway modules, Func<string, object?[], string> t, string language, Job job, CancellationToken cancellationToken) =>
        job.VideoTools is { } choice
            ? (t("videotools.name", []), VideoToolsFlow.Summary(t, choice))
            : job.Kind == GenerationKind.TryOn
            ? (t("tryon.name", []), TryOnFlow.Summary(t, job.TryOnZone))
            : (await ModelNameAsync(modules, language, job.ModelSlug, cancellationToken), job.Prompt);

    /// <summary>The model's display name; its slug when the catalog no longer lists it.</summary>
    public static async Task<string> ModelNameAsync(ModuleGateway modules, string language, string slug, CancellationToken cancellationToken)
    {
        var found = await modules.AsModuleAsync(new GetModelRequest { Slug = slug }, cancellationToken);
        return found.IsSuccess ? (language == "ru" ? found.Value.Model.Name.Ru : found.Value.Model.Name.En) : slug;
    }
}
