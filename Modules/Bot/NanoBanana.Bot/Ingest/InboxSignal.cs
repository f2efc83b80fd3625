using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Bot.Ingest;

/// <summary>Wakes this process's inbox workers when an update was stored (other replicas poll).</summary>
internal sealed class InboxSignal : WakeSignal;
