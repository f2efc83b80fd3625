using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Bot.Outbound;

/// <summary>Wakes the outbound sender when messages were queued in this process.</summary>
internal sealed class OutboundSignal : WakeSignal;
