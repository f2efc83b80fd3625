using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>
/// Responses a use case hands to every caller as one instance (a listing of an in-memory snapshot), each
/// serialized once when it is shared: the gRPC binder writes these bytes instead of serializing the message
/// on every call (ADR 0195). A shared message is never changed afterwards, by its owner or by a caller; the
/// owner shares a new one when its data changes, and the old one's bytes go with it.
/// </summary>
public static class SharedResponses
{
    private static readonly ConditionalWeakTable<IMessage, byte[]> Serialized = [];

    /// <summary>Serializes <paramref name="message"/> once and returns it, to be handed out as is from now on.</summary>
    public static T Share<T>(T message)
        where T : IMessage
    {
        Serialized.AddOrUpdate(message, message.ToByteArray());
        return message;
    }

    /// <summary>The bytes of a shared message; null for any other message.</summary>
    public static byte[]? SerializedOf(IMessage message) => Serialized.TryGetValue(message, out var bytes) ? bytes : null;
}
