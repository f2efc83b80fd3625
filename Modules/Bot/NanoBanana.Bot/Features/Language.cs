using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Features;

/// <summary><c>/lang</c>: pick Russian or English; the choice overrides Telegram's language_code.</summary>
internal sealed class Language : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["lang"];

    public string? CallbackPrefix => "lang";

    public Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.Kind == IncomingKind.Command)
        {
            var direct = incoming.Argument.ToLowerInvariant();
            if (Texts.Languages.Contains(direct))
            {
                Switch(session, direct);
                return Task.CompletedTask;
            }

            session.Send(session.T("lang.choose"), [[new InlineButton("🇷🇺 Русский", "lang:ru"), new InlineButton("🇬🇧 English", "lang:en")]]);
            return Task.CompletedTask;
        }

        var chosen = incoming.CallbackData!.Split(':')[1];
        if (!Texts.Languages.Contains(chosen))
        {
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
            return Task.CompletedTask;
        }

        session.AnswerCallback(incoming.CallbackQueryId!);
        Switch(session, chosen);
        return Task.CompletedTask;
    }

    private static void Switch(ChatSession session, string language)
    {
        session.Language = language;
        session.LanguageOverride = language;
        session.ShowMainMenu(session.T("lang.switched"));
    }
}
