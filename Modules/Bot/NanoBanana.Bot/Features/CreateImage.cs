using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 🖼 Create image: model (with prices) → card → from text or remix photos (albums collected) →
/// prompt → aspect ratio when the model offers several → price confirmation (size and number of images as buttons) → generation.
/// </summary>
internal sealed class CreateImage(GenerationStarter starter) : IChatFeature
{
    private const string Prefix = "img";

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.create_image"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Text when session.State == "img.prompt":
                await AcceptPromptAsync(session, incoming.Argument, cancellationToken);
                return;
            case IncomingKind.Photo when session.State == "img.photos":
                await AddPhotoAsync(session, incoming, cancellationToken);
                return;
            case IncomingKind.Photo or IncomingKind.Text when session.State.StartsWith("img.", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await starter.ShowModelsAsync(session, ModelKind.Image, Prefix, "image.pick_model", cancellationToken);
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
            case "m":
                session.AnswerCallback(callback);
                await ShowCardAsync(session, argument, cancellationToken);
                return;
            case "t" when session.State == "img.card":
                session.AnswerCallback(callback);
                session.Data.Source = "text";
                AskPrompt(session);
                return;
            case "r" when session.State == "img.card":
                session.AnswerCallback(callback);
                session.Data.Source = "images";
                var model = await starter.DraftModelAsync(session, cancellationToken);
                session.State = "img.photos";
                session.Send(session.T("image.send_photos", model.Capabilities.MaxReferenceImages), [Keyboards.MenuRow(session)]);
                return;
            case "d" when session.State == "img.photos":
                if (session.Data.Photos.Count == 0)
                {
                    session.AnswerCallback(callback, session.T("photos.need_one"), alert: true);
                    return;
                }

                session.AnswerCallback(callback);
                AlbumCollector.Close(session, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxReferenceImages);
                AskPrompt(session);
                return;
            case "p":
                // ✏️ New prompt after a result: same model and source, photos kept.
                session.AnswerCallback(callback);
                AskPrompt(session);
                return;
            case "a" when session.State == "img.aspect":
                session.AnswerCallback(callback);
                session.Data.AspectRatio = argument;
                await starter.ConfirmAsync(session, Prefix, cancellationToken);
                return;
            case "o":
                await starter.PickResolutionAsync(session, incoming, Prefix, cancellationToken);
                return;
            case "n":
                await starter.PickImageCountAsync(session, incoming, Prefix, cancellationToken);
                return;
            case "g":
                await starter.GenerateAsync(session, incoming, Prefix, cancellationToken);
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

        session.State = "img.card";
        session.Data = new ChatData { Draft = session.Data.Draft + 1, ModelSlug = model.Slug };
        var choices = new List<InlineButton[]>();
        if (model.Capabilities.TextToImage)
        {
            choices.Add([new InlineButton(session.T("image.from_text"), "img:t")]);
        }

        if (model.Capabilities.ImageToImage)
        {
            choices.Add([new InlineButton(session.T("image.remix"), "img:r")]);
        }

        choices.Add(Keyboards.MenuRow(session));
        session.Send(ModelCards.Card(session, model), [.. choices]);
    }

    private async Task AddPhotoAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var model = await starter.DraftModelAsync(session, cancellationToken);
        AlbumCollector.Add(session, incoming, model.Capabilities.MaxReferenceImages, "img:d");
    }

    private static void AskPrompt(ChatSession session)
    {
        session.State = "img.prompt";
        if (session.Data.Source == "images")
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
            await starter.ConfirmAsync(session, Prefix, cancellationToken);
            return;
        }

        if (model.Capabilities.AspectRatios.Count > 1)
        {
            session.State = "img.aspect";
            var ratios = model.Capabilities.AspectRatios.Select(r => new InlineButton(r, $"img:a:{r}")).Chunk(5).ToList();
            session.Send(session.T("image.pick_aspect"), [.. ratios, Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.AspectRatio = model.Capabilities.AspectRatios.FirstOrDefault() ?? "";
        await starter.ConfirmAsync(session, Prefix, cancellationToken);
    }
}
