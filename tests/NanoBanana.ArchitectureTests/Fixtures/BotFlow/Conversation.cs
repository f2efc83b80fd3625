namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Conversation;

// A miniature Bot (with Features.cs, Replies.cs, Updates.cs): one arrow of each kind, so the one-way rule
// must report the three backward ones and leave the worker that enters the flows through the router alone.
internal sealed class UpdateRouter
{
    public static Features.ImageFlow? Route() => null;
}
