using System.Globalization;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 🎬 Create video: model → from text, from an image (then an optional last frame) or from reference photos
/// (albums collected) → prompt → aspect ratio (16:9 / 9:16) → duration (4/6/8 s; the ones references allow) →
/// audio when the model has it → price confirmation → generation.
/// </summary>
internal sealed class CreateVideo(GenerationStarter starter) : IChatFeature
{
    private const string Prefix = "vid";

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.create_video"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Text when session.State == "vid.prompt":
                await AcceptPromptAsync(session, incoming.Argument, cancellationToken);
                return;
            case IncomingKind.Photo when session.State == "vid.photo":
                // Image→video takes exactly one first frame: the first is used, the rest of an album refused.
                if (AlbumCollector.Add(session, incoming, 1, "vid:d") && session.Data.AlbumRefused == 0)
                {
                    AlbumCollector.Close(session, 1);
                    await AfterFirstFrameAsync(session, cancellationToken);
                }

                return;
            case IncomingKind.Photo when session.State == "vid.last":
                session.Data.LastFrame = incoming.PhotoFileId;
                AskPrompt(session);
                return;
            case IncomingKind.Photo when session.State == "vid.refs":
                AlbumCollector.Add(session, incoming, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxAssetReferences, "vid:e");
                return;
            case IncomingKind.Photo or IncomingKind.Text when session.State.StartsWith("vid.", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await starter.ShowModelsAsync(session, ModelKind.Video, Prefix, "video.pick_model", cancellationToken);
                return;
        }
    }

    /// <summary>Entry from a generated image's 🎬 Animate button: the image is already chosen.</summary>
    public static void StartFromImage(ChatSession session, string photoFileId)
    {
        session.Data = new ChatData { Draft = session.Data.Draft + 1, Source = "images", Photos = [photoFileId] };
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
            case "t" when session.State == "vid.card":
                session.AnswerCallback(callback);
                session.Data.Source = "text";
                AskPrompt(session);
                return;
            case "i" when session.State == "vid.card":
                session.AnswerCallback(callback);
                session.Data.Source = "images";
                session.State = "vid.photo";
                session.Send(session.T("video.send_photo"), [Keyboards.MenuRow(session)]);
                return;
            case "d" when session.State == "vid.photo" && session.Data.Photos.Count == 1:
                session.AnswerCallback(callback);
                AlbumCollector.Close(session, 1);
                await AfterFirstFrameAsync(session, cancellationToken);
                return;
            case "l" when session.State == "vid.last":
                session.AnswerCallback(callback);
                AskPrompt(session);
                return;
            case "r" when session.State == "vid.card":
            {
                session.AnswerCallback(callback);
                var model = await starter.DraftModelAsync(session, cancellationToken);
                session.Data.Source = GenerationStarter.References;
                session.State = "vid.refs";
                var lengths = string.Join("/", model.DurationsAt(model.DefaultResolution(), assetReferences: true));
                session.Send(session.T("video.send_references", model.Capabilities.MaxAssetReferences, lengths), [Keyboards.MenuRow(session)]);
                return;
            }

            case "e" when session.State == "vid.refs":
                if (session.Data.Photos.Count == 0)
                {
                    session.AnswerCallback(callback, session.T("photos.need_one"), alert: true);
                    return;
                }

                session.AnswerCallback(callback);
                AlbumCollector.Close(session, (await starter.DraftModelAsync(session, cancellationToken)).Capabilities.MaxAssetReferences);
                AskPrompt(session);
                return;
            case "a" when session.State == "vid.aspect":
                session.AnswerCallback(callback);
                session.Data.AspectRatio = argument;
                await AskDurationAsync(session, cancellationToken);
                return;
            case "s" when session.State == "vid.duration" && int.TryParse(argument, CultureInfo.InvariantCulture, out var seconds):
            {
                session.AnswerCallback(callback);
                session.Data.DurationSeconds = seconds;
                var model = await starter.DraftModelAsync(session, cancellationToken);
                if (model.Capabilities.Audio)
                {
                    session.State = "vid.audio";
                    session.Send(session.T("video.pick_audio"), [[new InlineButton(session.T("button.audio_on"), "vid:u:1"), new InlineButton(session.T("button.audio_off"), "vid:u:0")], Keyboards.MenuRow(session)]);
                    return;
                }

                await starter.ConfirmAsync(session, Prefix, cancellationToken);
                return;
            }

            case "u" when session.State == "vid.audio":
                session.AnswerCallback(callback);
                session.Data.Audio = argument == "1";
                await starter.ConfirmAsync(session, Prefix, cancellationToken);
                return;
            case "o":
                await starter.PickResolutionAsync(session, incoming, Prefix, cancellationToken);
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
        if (await starter.ActiveModelAsync(session, slug, ModelKind.Video, cancellationToken) is not { } model)
        {
            return;
        }

        var fromImage = session.Data.Source == "images" && session.Data.Photos.Count == 1 ? session.Data.Photos[0] : null;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, ModelSlug = model.Slug };
        if (fromImage is not null && model.Capabilities.ImageToVideo)
        {
            // Animating a generated image: straight to the prompt.
            session.Data.Source = "images";
            session.Data.Photos = [fromImage];
            session.Send(ModelCards.Card(session, model));
            AskPrompt(session);
            return;
        }

        session.State = "vid.card";
        var choices = new List<InlineButton[]>();
        if (model.Capabilities.TextToVideo)
        {
            choices.Add([new InlineButton(session.T("video.from_text"), "vid:t")]);
        }

        if (model.Capabilities.ImageToVideo)
        {
            choices.Add([new InlineButton(session.T("video.from_image"), "vid:i")]);
        }

        if (model.Capabilities.MaxAssetReferences > 0)
        {
            choices.Add([new InlineButton(session.T("video.from_references", model.Capabilities.MaxAssetReferences), "vid:r")]);
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

        session.State = "vid.last";
        session.Send(session.T("video.ask_last_frame"), [[new InlineButton(session.T("button.skip_last_frame"), "vid:l")], Keyboards.MenuRow(session)]);
    }

    private static void AskPrompt(ChatSession session)
    {
        session.State = "vid.prompt";
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
            session.State = "vid.aspect";
            session.Send(session.T("video.pick_aspect"), [[.. ratios.Select(r => new InlineButton(r, $"vid:a:{r}"))], Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.AspectRatio = ratios.FirstOrDefault() ?? "";
        await AskDurationAsync(session, cancellationToken);
    }

    private async Task AskDurationAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var model = await starter.DraftModelAsync(session, cancellationToken);
        session.State = "vid.duration";
        var resolution = session.Data.Resolution ?? model.DefaultResolution();
        var buttons = model.DurationsAt(resolution, session.Data.Source == GenerationStarter.References)
            .Select(s => new InlineButton(session.T("video.duration_button", s, model.PriceOf(resolution, s)!.Value.Credits), $"vid:s:{s}"));
        session.Send(session.T("video.pick_duration"), [[.. buttons], Keyboards.MenuRow(session)]);
    }
}
