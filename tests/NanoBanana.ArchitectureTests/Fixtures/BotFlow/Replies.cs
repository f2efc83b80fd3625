namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Replies;

internal sealed class ReplyWriter;

internal sealed class ReplyThatKnowsItsFlow
{
    public static Features.ImageFlow? Flow() => null;
}
