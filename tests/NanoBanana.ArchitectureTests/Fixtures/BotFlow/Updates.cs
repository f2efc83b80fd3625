namespace NanoBanana.ArchitectureTests.Fixtures.BotFlow.Updates;

internal sealed class WebhookPayload;

internal sealed class WorkerThroughTheRouter
{
    public static Conversation.UpdateRouter? Router() => null;
}

internal sealed class IngestThatNamesAFeature
{
    public static Features.ImageFlow? Flow() => null;
}
