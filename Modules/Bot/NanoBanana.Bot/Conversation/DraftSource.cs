namespace NanoBanana.Bot.Conversation;

/// <summary>What a generation draft starts from (<see cref="ChatData.Source"/>); the flow maps it to the job kind.</summary>
internal static class DraftSource
{
    public const string Text = "text";

    /// <summary>Photos: remix (image flows) or the first frame (video flows).</summary>
    public const string Images = "images";

    /// <summary>A video featuring reference photos.</summary>
    public const string References = "references";
}
