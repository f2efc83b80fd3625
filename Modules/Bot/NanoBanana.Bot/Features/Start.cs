using NanoBanana.Bot.Conversation;

namespace NanoBanana.Bot.Features;

/// <summary><c>/start [ref_&lt;code&gt;]</c>: welcome, the main menu keyboard; any flow in progress is left.</summary>
internal sealed class Start : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["start"];

    public Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var name = incoming.From?.FirstName ?? "";
        session.ShowMainMenu(session.T("start.welcome", name));
        return Task.CompletedTask;
    }
}
