namespace NanoBanana.Bot.Conversation;

/// <summary>
/// One conversation flow (a file in Features/). The router asks each flow which updates it claims:
/// an update kind of its own (<see cref="ClaimsUpdate"/>), its commands, the main-menu buttons it owns,
/// callbacks with its prefix and, while the chat is in one of its states, plain text and photos.
/// </summary>
internal interface IChatFeature
{
    /// <summary>An update that is no message, command or button (a payment, a membership change): this flow takes it whatever the chat's state.</summary>
    bool ClaimsUpdate(Incoming incoming) => false;

    IReadOnlyCollection<string> Commands => [];

    /// <summary>Text keys of main-menu buttons this flow opens.</summary>
    IReadOnlyCollection<string> MenuKeys => [];

    /// <summary>Callback data "prefix:…" routed here.</summary>
    string? CallbackPrefix => null;

    /// <summary>States "prefix.…" owned by this flow.</summary>
    string? StatePrefix => null;

    /// <summary>Only for <see cref="BotOptions.AdminIds"/>; to anyone else the flow does not exist (its commands are unknown commands).</summary>
    bool AdminOnly => false;

    Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken);
}
