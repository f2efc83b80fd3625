using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Bot.Updates;

/// <summary>Wakes this process's update workers when an update was stored (other replicas poll).</summary>
internal sealed class UpdateSignal : WakeSignal;
