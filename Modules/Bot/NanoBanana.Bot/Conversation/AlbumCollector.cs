using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// Collects reference photos, albums included: each album item is its own update, so the chat gets one
/// "k/N received" message that is edited (coalesced by the sender) rather than N replies; photos over
/// the model's limit are refused in that same message.
/// </summary>
internal static class AlbumCollector
{
    /// <summary>Adds the photo; returns true when the collection is full.</summary>
    public static bool Add(ChatSession session, Incoming photo, int max, string doneCallback)
    {
        var data = session.Data;
        if (data.Photos.Count >= max)
        {
            data.AlbumRefused++;
        }
        else
        {
            data.Photos.Add(photo.PhotoFileId!);
        }

        var text = Counter(session, max);
        var buttons = new[] { new[] { new InlineButton(session.T("button.done"), doneCallback) }, Keyboards.MenuRow(session) };
        if (data.AlbumSlot is null)
        {
            data.AlbumSlot = "album:" + photo.UpdateId;
            session.Send(text, buttons, slot: data.AlbumSlot);
        }
        else
        {
            session.EditSlot(data.AlbumSlot, text, buttons);
        }

        return data.Photos.Count >= max;
    }

    /// <summary>Freezes the counter message (no Done button) once the photos are accepted.</summary>
    public static void Close(ChatSession session, int max)
    {
        if (session.Data.AlbumSlot is { } slot)
        {
            session.EditSlot(slot, Counter(session, max) + " ✅");
        }
    }

    private static string Counter(ChatSession session, int max)
    {
        var text = session.T("photos.received", session.Data.Photos.Count, max);
        return session.Data.AlbumRefused > 0 ? text + "\n" + session.T("photos.extra_refused", session.Data.AlbumRefused, max) : text;
    }
}
