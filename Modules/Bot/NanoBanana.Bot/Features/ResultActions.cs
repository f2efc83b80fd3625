using NanoBanana.Bot.Conversation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// The buttons under a result or a failure. "Again" restores the job's parameters and asks the price
/// confirmation again (a new draft, so a new client request id and a new charge only on that tap);
/// "New prompt" keeps the model and asks for the text; "✏️ Edit" asks for an instruction and edits this result with
/// the same model (the result is the reference image; the new job records this one as its parent, ADR 0171).
/// </summary>
internal sealed class ResultActions(ModuleGateway modules, GenerationStarter starter) : IChatFeature
{
    public string? CallbackPrefix => ResultMessages.CallbackPrefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var parts = (incoming.CallbackData ?? "").Split(':', 3);
        var callback = incoming.CallbackQueryId!;
        if (parts.Length != 3 || parts[1] is not (ResultMessages.Actions.Again or ResultMessages.Actions.NewPrompt or ResultMessages.Actions.Animate or ResultMessages.Actions.Edit)
            || await OwnJobAsync(modules, session, parts[2], cancellationToken) is not { } job
            || (job.Kind == GenerationKind.TryOn && parts[1] != ResultMessages.Actions.Animate))
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        if (parts[1] == ResultMessages.Actions.Animate)
        {
            await AnimateAsync(session, callback, job, cancellationToken);
            return;
        }

        if (parts[1] == ResultMessages.Actions.Edit)
        {
            await EditAsync(session, callback, job, cancellationToken);
            return;
        }

        var draft = job.Kind is GenerationKind.TextToImage or GenerationKind.ImageToImage ? CreateImage.Draft : CreateVideo.Draft;
        if (parts[1] == ResultMessages.Actions.Again && job.Kind is GenerationKind.ImageToImage or GenerationKind.ImageToVideo or GenerationKind.ReferencesToVideo)
        {
            // Reference photos are not kept by the bot; they have to come again through the flow.
            session.AnswerCallback(callback, session.T("result.again_needs_photos"), alert: true);
            return;
        }

        session.AnswerCallback(callback);
        session.Data = new ChatData
        {
            Draft = session.Data.Draft + 1,
            ModelSlug = job.ModelSlug,
            Source = DraftSource.Text,
            Prompt = parts[1] == ResultMessages.Actions.Again ? job.Prompt : null,
            AspectRatio = job.AspectRatio,
            DurationSeconds = job.DurationSeconds,
            Audio = job.Audio,
            ImageCount = draft.PicksImageCount ? job.ImageCount : 0,
        };
        if (parts[1] == ResultMessages.Actions.Again)
        {
            await starter.ConfirmAsync(session, draft, cancellationToken);
            return;
        }

        session.State = draft.PromptState;
        session.Send(session.T(draft.AskPromptKey), [Keyboards.MenuRow(session)]);
    }

    /// <summary>"🎬 Animate": a video draft from the generated image; the video flow goes from the model straight to the prompt.</summary>
    private async Task AnimateAsync(ChatSession session, string callback, Job job, CancellationToken cancellationToken)
    {
        if (job.Media.FirstOrDefault(m => m.MimeType.StartsWith("image/", StringComparison.Ordinal)) is not { } image)
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        session.AnswerCallback(callback);
        var models = (await modules.AsModuleAsync(new ListModelsRequest { Kind = ModelKind.Video }, cancellationToken)).Require("ListModels").Models
            .Where(m => m.Capabilities.ImageToVideo);
        session.State = CreateVideo.Draft.ModelState;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, Source = DraftSource.Images, Photos = [ResultMessages.GeneratedMediaPrefix + image.Id] };
        session.Send(session.T("video.pick_model"), ModelCards.PickList(session, models, CreateVideo.Draft.Prefix));
    }

    /// <summary>"✏️ Edit": an image→image draft on the same model with the result as its photo; the instruction is the prompt.</summary>
    private async Task EditAsync(ChatSession session, string callback, Job job, CancellationToken cancellationToken)
    {
        if (job.Status != JobStatus.Succeeded || job.Media.FirstOrDefault(m => m.MimeType.StartsWith("image/", StringComparison.Ordinal)) is not { } image)
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        var model = await modules.AsModuleAsync(new GetModelRequest { Slug = job.ModelSlug }, cancellationToken);
        if (!model.IsSuccess || !model.Value.Model.Active || !model.Value.Model.Capabilities.ImageToImage)
        {
            session.AnswerCallback(callback, session.T("edit.not_supported"), alert: true);
            return;
        }

        session.AnswerCallback(callback);
        session.State = CreateImage.Draft.PromptState;
        session.Data = new ChatData
        {
            Draft = session.Data.Draft + 1,
            ModelSlug = job.ModelSlug,
            Source = DraftSource.Images,
            Photos = [ResultMessages.GeneratedMediaPrefix + image.Id],
            ParentJobId = job.Id,
        };
        session.Send(session.T("edit.ask_instruction"), [Keyboards.MenuRow(session)]);
    }

    /// <summary>The job when it exists and belongs to the session's user.</summary>
    public static async Task<Job?> OwnJobAsync(ModuleGateway modules, ChatSession session, string jobId, CancellationToken cancellationToken)
    {
        var found = await modules.AsUserAsync(session.UserId, new GetGenerationRequest { JobId = jobId }, cancellationToken);
        return found.IsSuccess ? found.Value.Job : null;
    }
}
