using NanoBanana.Bot.Conversation;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// The buttons under a result or a failure. "Again" restores the job's parameters and asks the price
/// confirmation again (a new draft, so a new client request id and a new charge only on that tap);
/// "New prompt" keeps the model and asks for the text.
/// </summary>
internal sealed class ResultActions(ModuleGateway modules, GenerationStarter starter) : IChatFeature
{
    public string? CallbackPrefix => ResultMessages.CallbackPrefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var parts = (incoming.CallbackData ?? "").Split(':', 3);
        var callback = incoming.CallbackQueryId!;
        if (parts.Length != 3 || parts[1] is not ("a" or "p")
            || await OwnJobAsync(modules, session, parts[2], cancellationToken) is not { } job)
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        var prefix = job.Kind is GenerationKind.TextToImage or GenerationKind.ImageToImage ? "img" : "vid";
        if (parts[1] == "a" && job.Kind is GenerationKind.ImageToImage or GenerationKind.ImageToVideo)
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
            Source = "text",
            Prompt = parts[1] == "a" ? job.Prompt : null,
            AspectRatio = job.AspectRatio,
            DurationSeconds = job.DurationSeconds,
            Audio = job.Audio,
        };
        if (parts[1] == "a")
        {
            await starter.ConfirmAsync(session, prefix, cancellationToken);
            return;
        }

        session.State = prefix + ".prompt";
        session.Send(session.T(prefix == "img" ? "image.ask_prompt" : "video.ask_prompt"), [Keyboards.MenuRow(session)]);
    }

    /// <summary>The job when it exists and belongs to the session's user.</summary>
    public static async Task<Job?> OwnJobAsync(ModuleGateway modules, ChatSession session, string jobId, CancellationToken cancellationToken)
    {
        var found = await modules.AsModuleAsync(new GetJobForBotRequest { JobId = jobId }, cancellationToken);
        return found.IsSuccess && found.Value.Job is { } job && job.UserId == session.UserId ? job : null;
    }
}
