using NanoBanana.Bot.Conversation;

namespace NanoBanana.Bot.Features;

/// <summary>"🏠 Menu" from any step and <c>/cancel</c>: leave the flow, show the main menu.</summary>
internal sealed class MainMenu : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["cancel", "menu"];

    public string? CallbackPrefix => Keyboards.MenuCallback;

    public Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var wasInFlow = session.State.Length > 0;
        if (incoming.CallbackQueryId is { } callback)
        {
            session.AnswerCallback(callback);
        }

        session.ShowMainMenu(incoming.Command == "cancel" && wasInFlow ? session.T("menu.cancelled") : null);
        return Task.CompletedTask;
    }
}
