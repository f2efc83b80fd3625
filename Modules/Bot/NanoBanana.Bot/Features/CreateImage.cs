using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 🖼 Create image: model (with prices) → card → from text or remix photos (albums collected) →
/// prompt → aspect ratio when the model offers several → price confirmation (size and number of images as buttons) → generation.
/// </summary>
internal sealed class CreateImage(GenerationStarter starter) : IChatFeature
{
    private const string Prefix = "img";

    /// <summary>The draft this flow hands to <see cref="GenerationStarter"/>: remix photos make an image-to-image job.</summary>
    public static readonly GenerationDraft Draft = new(
        Prefix, data => data.Source == DraftSource.Images ? GenerationKind.ImageToImage : GenerationKind.TextToImage, PicksImageCount: true) { AskPromptKey = "image.ask_prompt" };

    /// <summary>This flow's states besides <see cref="GenerationDraft"/>'s (model, prompt, confirm, running).</summary>
    private static class States
    {
        public const string Card = Prefix + ".card";
        public const string Photos = Prefix + ".photos";
        public const string Aspect = Prefix + ".aspect";
    }

    /// <summary>This flow's callback actions besides <see cref="GenerationDraft.Actions"/> (on the wire as <c>img:action:argument</c>).</summary>
    private static class Actions
    {
        public const string FromText = "t";
        public const string Remix = "r";
        public const string PhotosDone = "d";
        public const string NewPrompt = "p";
        public const string AspectRatio = "a";
    }

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.create_image"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Text when session.State == Draft.PromptState:
                await AcceptPromptAsync(session, incoming.Argument, cancellationToken);
                return;
            case IncomingKind.Photo when session.State == States.Photos:
                await AddPhotoAsync(session, incoming, cancellationToken);
                return;
            case IncomingKind.Photo or IncomingKind.Text when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await starter.ShowModelsAsync(session, ModelKind.Image, Draft, "image.pick_model", cancellationToken);
                return;
        }
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
            case Actions.Remix when session.State == States.Card:
                session.AnswerCallback(callback);
                session.Data.Source = DraftSource.Images;
                var model = await starter.DraftModelAsync(session, cancellationToken);
                session.State = States.Photos;
                session.Send(session.T("image.send_photos", model.Capabilities.MaxReferenceImages), [Keyboards.MenuRow(session)]);
                return;
            case Actions.PhotosDone when session.State == States.Photos:
                if (session.Data.Photos.Count == 0)
                {
                    session.AnswerCallback(callback, session.T("photos.need_one"), alert: true);
                    return;
                }

                session.AnswerCallback(callback);
                AlbumCollector.Close(session, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxReferenceImages);
                AskPrompt(session);
                return;
            case Actions.NewPrompt:
                // ✏️ New prompt after a result: same model and source, photos kept.
                session.AnswerCallback(callback);
                AskPrompt(session);
                return;
            case Actions.AspectRatio when session.State == States.Aspect:
                session.AnswerCallback(callback);
                session.Data.AspectRatio = argument;
                await starter.ConfirmAsync(session, Draft, cancellationToken);
                return;
            case GenerationDraft.Actions.Resolution:
                await starter.PickResolutionAsync(session, incoming, Draft, cancellationToken);
                return;
            case GenerationDraft.Actions.ImageCount:
                await starter.PickImageCountAsync(session, incoming, Draft, cancellationToken);
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
        if (await starter.ActiveModelAsync(session, slug, ModelKind.Image, cancellationToken) is not { } model)
        {
            return;
        }

        session.State = States.Card;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, ModelSlug = model.Slug };
        var choices = new List<InlineButton[]>();
        if (model.Capabilities.TextToImage)
        {
            choices.Add([new InlineButton(session.T("image.from_text"), Draft.Callback(Actions.FromText))]);
        }

        if (model.Capabilities.ImageToImage)
        {
            choices.Add([new InlineButton(session.T("image.remix"), Draft.Callback(Actions.Remix))]);
        }

        choices.Add(Keyboards.MenuRow(session));
        session.Send(ModelCards.Card(session, model), [.. choices]);
    }

    private async Task AddPhotoAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var model = await starter.DraftModelAsync(session, cancellationToken);
        AlbumCollector.Add(session, incoming, model.Capabilities.MaxReferenceImages, Draft.Callback(Actions.PhotosDone));
    }

    private static void AskPrompt(ChatSession session)
    {
        session.State = Draft.PromptState;
        if (session.Data.Source == DraftSource.Images)
        {
            session.Send(session.T("image.ask_prompt_remix"), [Keyboards.MenuRow(session)]);
            return;
        }

        session.Send(session.T("image.ask_prompt"), [[new InlineButton(session.T("menu.assistant"), PromptAssistant.StartCallback)], Keyboards.MenuRow(session)]);
    }

    private async Task AcceptPromptAsync(ChatSession session, string prompt, CancellationToken cancellationToken)
    {
        if (!GenerationStarter.TryTakePrompt(session, prompt))
        {
            return;
        }

        session.Data.Draft++;
        var model = await starter.DraftModelAsync(session, cancellationToken);
        await AskAspectOrConfirmAsync(session, starter, model, cancellationToken);
    }

    /// <summary>The aspect-ratio step when the model offers several (not for an edit: it keeps the edited image's), then the price confirmation.</summary>
    public static async Task AskAspectOrConfirmAsync(ChatSession session, GenerationStarter starter, Model model, CancellationToken cancellationToken)
    {
        if (session.Data.ParentJobId is not null)
        {
            session.Data.AspectRatio = "";
            await starter.ConfirmAsync(session, Draft, cancellationToken);
            return;
        }

        if (model.Capabilities.AspectRatios.Count > 1)
        {
            session.State = States.Aspect;
            var ratios = model.Capabilities.AspectRatios.Select(r => new InlineButton(r, Draft.Callback(Actions.AspectRatio, r))).Chunk(5).ToList();
            session.Send(session.T("image.pick_aspect"), [.. ratios, Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.AspectRatio = model.Capabilities.AspectRatios.FirstOrDefault() ?? "";
        await starter.ConfirmAsync(session, Draft, cancellationToken);
    }
}
