namespace NanoBanana.Bot.Conversation;

/// <summary>
/// One conversation flow (a file in Features/). The router hands it the updates it claims:
/// its commands, the main-menu buttons it owns, callbacks with its prefix and, while the chat is in
/// one of its states, plain text and photos.
/// </summary>
internal interface IChatFeature
{
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
