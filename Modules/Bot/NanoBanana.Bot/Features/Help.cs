using NanoBanana.Bot.Conversation;

namespace NanoBanana.Bot.Features;

/// <summary><c>/help</c>: what the bot does, the commands, where to ask about payments.</summary>
internal sealed class Help : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["help"];

    public Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        session.Send(session.T("help.text"), reply: Keyboards.MainMenu(session));
        return Task.CompletedTask;
    }
}
