namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Replies;

internal sealed class ReplyWriter;

internal sealed class ReplyThatKnowsItsFlow
{
    public Features.ImageFlow? Flow() => null;
}
