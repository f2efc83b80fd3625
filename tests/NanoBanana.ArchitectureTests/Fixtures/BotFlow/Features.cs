namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Features;

internal sealed class ImageFlow
{
    public Replies.ReplyWriter? Reply() => null;
}

internal sealed class FlowThatReadsTheWebhook
{
    public Updates.WebhookPayload? Payload() => null;
}
