namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Updates;

internal sealed class WebhookPayload;

internal sealed class WorkerThroughTheRouter
{
    public Conversation.UpdateRouter? Router() => null;
}

internal sealed class IngestThatNamesAFeature
{
    public Features.ImageFlow? Flow() => null;
}
