using System.Globalization;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 🎬 Create video: model → from text, from an image (then an optional last frame) or from reference photos
/// (albums collected) → prompt → aspect ratio (16:9 / 9:16) → duration (4/6/8 s; the ones references allow) →
/// audio when the model has it → price confirmation → generation.
/// </summary>
internal sealed class CreateVideo(GenerationStarter starter) : IChatFeature
{
    private const string Prefix = "vid";

    /// <summary>The draft this flow hands to <see cref="GenerationStarter"/>: a first frame makes image-to-video, reference photos references-to-video.</summary>
    public static readonly GenerationDraft Draft = new(Prefix, data => data.Source switch
    {
        DraftSource.Images => GenerationKind.ImageToVideo,
        DraftSource.References => GenerationKind.ReferencesToVideo,
        _ => GenerationKind.TextToVideo,
    }) { AskPromptKey = "video.ask_prompt" };

    /// <summary>This flow's states besides <see cref="GenerationDraft"/>'s (model, prompt, confirm, running).</summary>
    private static class States
    {
        public const string Card = Prefix + ".card";
        public const string FirstFrame = Prefix + ".photo";
        public const string LastFrame = Prefix + ".last";
        public const string References = Prefix + ".refs";
        public const string Aspect = Prefix + ".aspect";
        public const string Duration = Prefix + ".duration";
        public const string Audio = Prefix + ".audio";
    }

    /// <summary>This flow's callback actions besides <see cref="GenerationDraft.Actions"/> (on the wire as <c>vid:action:argument</c>).</summary>
    private static class Actions
    {
        public const string FromText = "t";
        public const string FromImage = "i";
        public const string FirstFrameDone = "d";
        public const string SkipLastFrame = "l";
        public const string FromReferences = "r";
        public const string ReferencesDone = "e";
        public const string AspectRatio = "a";
        public const string Duration = "s";
        public const string Audio = "u";
    }

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.create_video"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Text when session.State == Draft.PromptState:
                await AcceptPromptAsync(session, incoming.Argument, cancellationToken);
                return;
            case IncomingKind.Photo when session.State == States.FirstFrame:
                // Image→video takes exactly one first frame: the first is used, the rest of an album refused.
                if (AlbumCollector.Add(session, incoming, 1, Draft.Callback(Actions.FirstFrameDone)) && session.Data.AlbumRefused == 0)
                {
                    AlbumCollector.Close(session, 1);
                    await AfterFirstFrameAsync(session, cancellationToken);
                }

                return;
            case IncomingKind.Photo when session.State == States.LastFrame:
                session.Data.LastFrame = incoming.PhotoFileId;
                AskPrompt(session);
                return;
            case IncomingKind.Photo when session.State == States.References:
                AlbumCollector.Add(session, incoming, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxAssetReferences, Draft.Callback(Actions.ReferencesDone));
                return;
            case IncomingKind.Photo or IncomingKind.Text when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await starter.ShowModelsAsync(session, ModelKind.Video, Draft, "video.pick_model", cancellationToken);
                return;
        }
    }

    /// <summary>Entry from a generated image's 🎬 Animate button: the image is already chosen.</summary>
    public static void StartFromImage(ChatSession session, string photoFileId)
    {
        session.Data = new ChatData { Draft = session.Data.Draft + 1, Source = DraftSource.Images, Photos = [photoFileId] };
    }

    private async Task OnButtonAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var action = incoming.CallbackAction;
        var argument = incoming.CallbackArgument;
        var callback = incoming.CallbackQueryId!;
        switch (action)
        {
            case GenerationDraft.Actions.Model:
                session.AnswerCallback(callback);
                await ShowCardAsync(session, argument, cancellationToken);
                return;
            case Actions.FromText when session.State == States.Card:
                session.AnswerCallback(callback);
                session.Data.Source = DraftSource.Text;
                AskPrompt(session);
                return;
            case Actions.FromImage when session.State == States.Card:
                session.AnswerCallback(callback);
                session.Data.Source = DraftSource.Images;
                session.State = States.FirstFrame;
                session.Send(session.T("video.send_photo"), [Keyboards.MenuRow(session)]);
                return;
            case Actions.FirstFrameDone when session.State == States.FirstFrame && session.Data.Photos.Count == 1:
                session.AnswerCallback(callback);
                AlbumCollector.Close(session, 1);
                await AfterFirstFrameAsync(session, cancellationToken);
                return;
            case Actions.SkipLastFrame when session.State == States.LastFrame:
                session.AnswerCallback(callback);
                AskPrompt(session);
                return;
            case Actions.FromReferences when session.State == States.Card:
            {
                session.AnswerCallback(callback);
                var model = await starter.DraftModelAsync(session, cancellationToken);
                session.Data.Source = DraftSource.References;
                session.State = States.References;
                var lengths = string.Join("/", model.DurationsAt(model.DefaultResolution(), assetReferences: true));
                session.Send(session.T("video.send_references", model.Capabilities.MaxAssetReferences, lengths), [Keyboards.MenuRow(session)]);
                return;
            }

            case Actions.ReferencesDone when session.State == States.References:
                if (session.Data.Photos.Count == 0)
                {
                    session.AnswerCallback(callback, session.T("photos.need_one"), alert: true);
                    return;
                }

                session.AnswerCallback(callback);
                AlbumCollector.Close(session, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxAssetReferences);
                AskPrompt(session);
                return;
            case Actions.AspectRatio when session.State == States.Aspect:
                session.AnswerCallback(callback);
                session.Data.AspectRatio = argument;
                await AskDurationAsync(session, cancellationToken);
                return;
            case Actions.Duration when session.State == States.Duration && int.TryParse(argument, CultureInfo.InvariantCulture, out var seconds):
            {
                session.AnswerCallback(callback);
                session.Data.DurationSeconds = seconds;
                var model = await starter.DraftModelAsync(session, cancellationToken);
                if (model.Capabilities.Audio)
                {
                    session.State = States.Audio;
                    session.Send(session.T("video.pick_audio"), [[new InlineButton(session.T("button.audio_on"), Draft.Callback(Actions.Audio, "1")), new InlineButton(session.T("button.audio_off"), Draft.Callback(Actions.Audio, "0"))], Keyboards.MenuRow(session)]);
                    return;
                }

                await starter.ConfirmAsync(session, Draft, cancellationToken);
                return;
            }

            case Actions.Audio when session.State == States.Audio:
                session.AnswerCallback(callback);
                session.Data.Audio = argument == "1";
                await starter.ConfirmAsync(session, Draft, cancellationToken);
                return;
            case GenerationDraft.Actions.Resolution:
                await starter.PickResolutionAsync(session, incoming, Draft, cancellationToken);
                return;
            case GenerationDraft.Actions.Generate:
                await starter.GenerateAsync(session, incoming, Draft, cancellationToken);
                return;
            default:
                session.AnswerCallback(callback, session.T("error.outdated_button"));
                return;
        }
    }

    private async Task ShowCardAsync(ChatSession session, string slug, CancellationToken cancellationToken)
    {
        if (await starter.ActiveModelAsync(session, slug, ModelKind.Video, cancellationToken) is not { } model)
        {
            return;
        }

        var fromImage = session.Data.Source == DraftSource.Images && session.Data.Photos.Count == 1 ? session.Data.Photos[0] : null;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, ModelSlug = model.Slug };
        if (fromImage is not null && model.Capabilities.ImageToVideo)
        {
            // Animating a generated image: straight to the prompt.
            session.Data.Source = DraftSource.Images;
            session.Data.Photos = [fromImage];
            session.Send(ModelCards.Card(session, model));
            AskPrompt(session);
            return;
        }

        session.State = States.Card;
        var choices = new List<InlineButton[]>();
        if (model.Capabilities.TextToVideo)
        {
            choices.Add([new InlineButton(session.T("video.from_text"), Draft.Callback(Actions.FromText))]);
        }

        if (model.Capabilities.ImageToVideo)
        {
            choices.Add([new InlineButton(session.T("video.from_image"), Draft.Callback(Actions.FromImage))]);
        }

        if (model.Capabilities.MaxAssetReferences > 0)
        {
            choices.Add([new InlineButton(session.T("video.from_references", model.Capabilities.MaxAssetReferences), Draft.Callback(Actions.FromReferences))]);
        }

        choices.Add(Keyboards.MenuRow(session));
        session.Send(ModelCards.Card(session, model), [.. choices]);
    }

    /// <summary>The first frame is in: a model that takes a last frame offers one (optional), any other goes to the prompt.</summary>
    private async Task AfterFirstFrameAsync(ChatSession session, CancellationToken cancellationToken)
    {
        if (!(await starter.DraftModelAsync(session, cancellationToken)).Capabilities.LastFrame)
        {
            AskPrompt(session);
            return;
        }

        session.State = States.LastFrame;
        session.Send(session.T("video.ask_last_frame"), [[new InlineButton(session.T("button.skip_last_frame"), Draft.Callback(Actions.SkipLastFrame))], Keyboards.MenuRow(session)]);
    }

    private static void AskPrompt(ChatSession session)
    {
        session.State = Draft.PromptState;
        session.Send(session.T("video.ask_prompt"), [Keyboards.MenuRow(session)]);
    }

    private async Task AcceptPromptAsync(ChatSession session, string prompt, CancellationToken cancellationToken)
    {
        if (!GenerationStarter.TryTakePrompt(session, prompt))
        {
            return;
        }

        var model = await starter.DraftModelAsync(session, cancellationToken);
        var ratios = model.Capabilities.AspectRatios;
        if (ratios.Count > 1)
        {
            session.State = States.Aspect;
            session.Send(session.T("video.pick_aspect"), [[.. ratios.Select(r => new InlineButton(r, Draft.Callback(Actions.AspectRatio, r)))], Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.AspectRatio = ratios.FirstOrDefault() ?? "";
        await AskDurationAsync(session, cancellationToken);
    }

    private async Task AskDurationAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var model = await starter.DraftModelAsync(session, cancellationToken);
        session.State = States.Duration;
        var resolution = session.Data.Resolution ?? model.DefaultResolution();
        var buttons = model.DurationsAt(resolution, session.Data.Source == DraftSource.References)
            .Select(s => new InlineButton(session.T("video.duration_button", s, model.PriceOf(resolution, s)!.Value.Credits), Draft.Callback(Actions.Duration, s.ToString(CultureInfo.InvariantCulture))));
        session.Send(session.T("video.pick_duration"), [[.. buttons], Keyboards.MenuRow(session)]);
    }
}
