using NanoBanana.BuildingBlocks.Background;

namespace NanoBanana.Bot.Replies;

/// <summary>Wakes the outbound sender when messages were queued in this process.</summary>
internal sealed class ReplySignal : WakeSignal;
