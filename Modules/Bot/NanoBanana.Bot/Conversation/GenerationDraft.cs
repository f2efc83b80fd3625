using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// A flow that drafts a generation and confirms its price on a card (🖼 image, 🎬 video, 👗 try-on): the prefix of
/// its states and callbacks, the steps <see cref="GenerationStarter"/> runs for it, and the job kind a draft
/// becomes — the flow's decision, never read from the prefix. Callback data stays <c>prefix:action:argument</c>
/// with one-letter actions, as on the buttons already in users' chats (ADR 0187).
/// </summary>
internal sealed record GenerationDraft(string Prefix, Func<ChatData, GenerationKind> KindOf, bool PicksImageCount = false)
{
    /// <summary>The callback actions every draft shares.</summary>
    internal static class Actions
    {
        /// <summary>A model picked from the list: <c>prefix:m:slug</c>.</summary>
        public const string Model = "m";

        /// <summary>An output size picked on the confirmation card: <c>prefix:o:resolution</c>.</summary>
        public const string Resolution = "o";

        /// <summary>A number of images picked on the confirmation card: <c>prefix:n:count</c>.</summary>
        public const string ImageCount = "n";

        /// <summary>"Generate" on the confirmation card: <c>prefix:g:draft</c>.</summary>
        public const string Generate = "g";
    }

    /// <summary>The text asking for a prompt (a result's "new prompt" button reuses it).</summary>
    public string AskPromptKey { get; init; } = "";

    /// <summary>Picking a model from the list.</summary>
    public string ModelState => Prefix + ".model";

    /// <summary>Waiting for the prompt.</summary>
    public string PromptState => Prefix + ".prompt";

    /// <summary>The price card is shown; only its draft's "Generate" starts a job.</summary>
    public string ConfirmState => Prefix + ".confirm";

    /// <summary>The job was started.</summary>
    public string RunningState => Prefix + ".running";

    /// <summary>The callback data of <paramref name="action"/> in this flow.</summary>
    public string Callback(string action, string argument = "") => argument.Length == 0 ? $"{Prefix}:{action}" : $"{Prefix}:{action}:{argument}";
}
