using System.Text.Json;
using NanoBanana.Bot.Replies;
using Telegram.Bot;

namespace NanoBanana.Bot.Conversation;

/// <summary>Hands an update to the flow that owns it; every callback query gets answered.</summary>
internal sealed class UpdateRouter(IEnumerable<IChatFeature> features, Texts texts, Keyboards keyboards)
{
    private readonly IReadOnlyList<IChatFeature> _features = [.. features];

    /// <summary>The update worker's entry: one stored update of a claimed chat → the step (the chat's new state and its replies).</summary>
    public async Task<ChatSession> HandleAsync(StoredChat chat, long updateId, string payload, CancellationToken cancellationToken)
    {
        var update = JsonSerializer.Deserialize(payload, JsonBotSerializerContext.Default.Update)
            ?? throw new JsonException("The stored update is not an object.");
        var incoming = Incoming.Parse(updateId, update);
        var from = incoming.From;
        var language = Texts.LanguageOf(chat.LanguageOverride, from?.LanguageCode ?? chat.Language);
        var session = new ChatSession(chat.ChatId, from?.Id ?? chat.UserId, language, chat.State, ChatData.FromJson(chat.Data), texts, keyboards)
        {
            LanguageOverride = chat.LanguageOverride,
        };
        await RouteAsync(session, incoming, cancellationToken);
        return session;
    }

    public async Task RouteAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (_features.FirstOrDefault(f => f.ClaimsUpdate(incoming)) is { } claimant)
        {
            await claimant.HandleAsync(session, incoming, cancellationToken);
            return;
        }

        if (incoming.Kind is IncomingKind.Text && texts.KeyOf(incoming.Argument, Keyboards.MenuKeys) is not null)
        {
            // A main-menu key leaves whatever step the chat was in (a prompt or a price confirmation), like /cancel.
            session.State = "";
        }

        var feature = Owner(session, incoming);
        if (feature is { AdminOnly: true } && !keyboards.IsAdmin(session.UserId))
        {
            // Admin flows are invisible to everyone else: the same answers as for anything unknown.
            feature = null;
        }

        if (feature is not null)
        {
            await feature.HandleAsync(session, incoming, cancellationToken);
        }
        else if (incoming.Kind is IncomingKind.Command)
        {
            session.Send(session.T("error.unknown_command"), reply: Keyboards.MainMenu(session));
        }
        else if (incoming.Kind is IncomingKind.Text or IncomingKind.Photo or IncomingKind.File)
        {
            session.Send(session.T("error.not_understood"), reply: Keyboards.MainMenu(session));
        }
        else if (incoming.Kind is IncomingKind.Callback)
        {
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
        }

        if (incoming.Kind is IncomingKind.Callback && !session.CallbackAnswered)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
        }
    }

    private IChatFeature? Owner(ChatSession session, Incoming incoming)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Command:
                return _features.FirstOrDefault(f => f.Commands.Contains(incoming.Command));
            case IncomingKind.Callback:
                var prefix = incoming.CallbackData!.Split(':', 2)[0];
                return _features.FirstOrDefault(f => f.CallbackPrefix == prefix);
            case IncomingKind.Text:
                if (texts.KeyOf(incoming.Argument, Keyboards.MenuKeys) is { } menuKey)
                {
                    return _features.FirstOrDefault(f => f.MenuKeys.Contains(menuKey));
                }

                return StateOwner(session);
            case IncomingKind.Photo or IncomingKind.File:
                return StateOwner(session);
            default:
                return null;
        }
    }

    private IChatFeature? StateOwner(ChatSession session) =>
        session.State.Length == 0 ? null : _features.FirstOrDefault(f => f.StatePrefix is { } prefix && session.State.StartsWith(prefix + ".", StringComparison.Ordinal));
}
