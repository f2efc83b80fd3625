using System.Globalization;
using Ardalis.Result;
using Google.Protobuf;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 💡 Prompt assistant (ADR 0170): an idea in plain words (a photo with a caption works too) → three prompt variants
/// as text and buttons, each request priced from the Catalog; further messages refine them (Generation keeps the
/// last 10 messages as context). A variant's button goes on as the image flow's prompt: the model (asked only when
/// there is a choice), the aspect ratio when offered, then the usual price confirmation.
/// </summary>
internal sealed class PromptAssistant(ModuleGateway modules, GenerationStarter starter, TopUpOffer topUp) : IChatFeature
{
    private const string Prefix = "ast";

    private static class States
    {
        public const string Idea = Prefix + ".idea";
        public const string Variants = Prefix + ".variants";
        public const string Model = Prefix + ".model";
    }

    /// <summary>Callback actions (on the wire as <c>ast:action:argument</c>).</summary>
    private static class Actions
    {
        public const string Start = "start";

        /// <summary>Use a variant: <c>ast:u:draft.index</c>.</summary>
        public const string UseVariant = "u";

        /// <summary>The image model for the chosen variant (the list shared with the image flow).</summary>
        public const string Model = GenerationDraft.Actions.Model;
    }

    /// <summary>The button on the image flow's prompt step that opens the assistant.</summary>
    public const string StartCallback = Prefix + ":" + Actions.Start;

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.assistant"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Text or IncomingKind.Photo when session.State is States.Idea or States.Variants:
                await AskAsync(session, incoming, cancellationToken);
                return;
            case IncomingKind.Text or IncomingKind.Photo or IncomingKind.File when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await OpenAsync(session, cancellationToken);
                return;
        }
    }

    private async Task OnButtonAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var callback = incoming.CallbackQueryId!;
        switch (incoming.CallbackAction)
        {
            case Actions.Start:
                session.AnswerCallback(callback);
                await OpenAsync(session, cancellationToken);
                return;
            case Actions.UseVariant when session.State == States.Variants && TakeVariant(session, incoming.CallbackArgument) is { } prompt:
                session.AnswerCallback(callback);
                await UseAsync(session, prompt, cancellationToken);
                return;
            case Actions.Model when session.State == States.Model:
                session.AnswerCallback(callback);
                if (await starter.ActiveModelAsync(session, incoming.CallbackArgument, ModelKind.Image, cancellationToken) is { Capabilities.TextToImage: true } model)
                {
                    await StartDraftAsync(session, model, cancellationToken);
                }

                return;
            default:
                session.AnswerCallback(callback, session.T("error.outdated_button"));
                return;
        }
    }

    /// <summary>A new conversation: the next idea is asked without the earlier messages as context.</summary>
    private async Task OpenAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var price = (await modules.AsModuleAsync(new GetAssistantPriceRequest(), cancellationToken)).Require("GetAssistantPrice").Price.CreditsPerRequest;
        session.State = States.Idea;
        session.Data = new ChatData { Draft = session.Data.Draft + 1, AssistantNewConversation = true };
        session.Send(session.T("assistant.intro", price), [Keyboards.MenuRow(session)]);
    }

    private async Task AskAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var idea = incoming.Argument.Trim();
        if (idea.Length == 0)
        {
            // A photo alone says nothing about what to make of it.
            session.Send(session.T("assistant.photo_needs_caption"), [Keyboards.MenuRow(session)]);
            return;
        }

        var request = new AskPromptAssistantForUserRequest
        {
            UserId = session.UserId,
            Idea = idea,
            NewConversation = session.Data.AssistantNewConversation,
            // One request per update: a redelivered update finds its answer, charged once.
            ClientRequestId = string.Create(CultureInfo.InvariantCulture, $"tg:{session.ChatId}:ast:{incoming.UpdateId}"),
        };
        if (incoming.PhotoFileId is { } photo)
        {
            if (await starter.DownloadAsync(photo, cancellationToken) is not { } bytes)
            {
                session.Send(session.T("photos.too_large"), [Keyboards.MenuRow(session)]);
                return;
            }

            request.Photo = ByteString.CopyFrom(bytes);
        }

        var asked = await modules.AsModuleAsync(request, cancellationToken);
        if (asked.Status is ResultStatus.Invalid)
        {
            session.Send(session.T("assistant.invalid", string.Join("; ", asked.ValidationErrors.Select(e => e.ErrorMessage))), [Keyboards.MenuRow(session)]);
            return;
        }

        if (asked.Status is ResultStatus.Unavailable)
        {
            session.Send(session.T("assistant.unavailable"), [Keyboards.MenuRow(session)]);
            return;
        }

        var answer = asked.Require("AskPromptAssistantForUser");
        if (answer.InsufficientFunds)
        {
            await topUp.OfferAsync(session, answer.PriceCredits, answer.Shortfall, cancellationToken);
            return;
        }

        if (answer.Failed)
        {
            session.Send(session.T("assistant.failed"), [Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.AssistantNewConversation = false;
        session.Data.AssistantVariants = [.. answer.Variants.Select(v => v.Prompt)];
        session.Data.Draft++;
        session.State = States.Variants;
        var draft = session.Data.Draft.ToString(CultureInfo.InvariantCulture);
        var lines = answer.Variants.Select((v, i) => session.T("assistant.variant", i + 1, v.Title, v.Prompt));
        var buttons = answer.Variants.Select((v, i) => new[] { new InlineButton(session.T("assistant.use", i + 1, Shorten(v.Title)), $"{Prefix}:{Actions.UseVariant}:{draft}.{i.ToString(CultureInfo.InvariantCulture)}") });
        session.Send(session.T("assistant.variants", string.Join("\n\n", lines), answer.PriceCredits), [.. buttons, Keyboards.MenuRow(session)]);
    }

    /// <summary>The prompt a variant button of the current answer names; a button of an earlier answer names none.</summary>
    private static string? TakeVariant(ChatSession session, string argument)
    {
        var parts = argument.Split('.');
        return parts.Length == 2 && parts[0] == session.Data.Draft.ToString(CultureInfo.InvariantCulture)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var index) && index >= 0 && index < session.Data.AssistantVariants.Count
                ? session.Data.AssistantVariants[index]
                : null;
    }

    /// <summary>The variant becomes the prompt of an image draft; the model is asked only when more than one can draw from text.</summary>
    private async Task UseAsync(ChatSession session, string prompt, CancellationToken cancellationToken)
    {
        var models = (await modules.AsModuleAsync(new ListModelsRequest { Kind = ModelKind.Image }, cancellationToken)).Require("ListModels").Models
            .Where(m => m.Capabilities.TextToImage).ToList();
        session.Data.Prompt = prompt;
        if (models.Count == 1)
        {
            await StartDraftAsync(session, models[0], cancellationToken);
            return;
        }

        session.State = States.Model;
        session.Send(models.Count == 0 ? session.T("model.none") : session.T("assistant.pick_model"), ModelCards.PickList(session, models, Prefix));
    }

    private async Task StartDraftAsync(ChatSession session, Model model, CancellationToken cancellationToken)
    {
        session.Data = new ChatData { Draft = session.Data.Draft + 1, ModelSlug = model.Slug, Source = DraftSource.Text, Prompt = session.Data.Prompt };
        await CreateImage.AskAspectOrConfirmAsync(session, starter, model, cancellationToken);
    }

    private static string Shorten(string title) => title.Length <= 40 ? title : string.Concat(title.AsSpan(0, 39), "…");
}
