namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Features;

internal sealed class ImageFlow
{
    public static Replies.ReplyWriter? Reply() => null;
}

internal sealed class FlowThatReadsTheWebhook
{
    public static Updates.WebhookPayload? Payload() => null;
}
