using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>How models are shown: the pick list with prices, and the card with what a model can do.</summary>
internal static class ModelCards
{
    public static string Name(ChatSession session, Model model) => session.Language == "ru" ? model.Name.Ru : model.Name.En;

    /// <summary>One price, or "from" the cheapest when options change it (clip length, output size).</summary>
    public static string Price(ChatSession session, Model model) =>
        model.Kind == ModelKind.Video || model.ResolutionPrices.Count > 0
            ? session.T("model.price_from", model.LowestCredits() ?? 0)
            : session.T("model.price", model.PriceCredits);

    public static InlineButton[][] PickList(ChatSession session, IEnumerable<Model> models, string prefix) =>
    [
        .. models.Select(m => new[] { new InlineButton($"{Name(session, m)} · {Price(session, m)}", $"{prefix}:{GenerationDraft.Actions.Model}:{m.Slug}") }),
        Keyboards.MenuRow(session),
    ];

    public static string Card(ChatSession session, Model model)
    {
        var c = model.Capabilities;
        var can = new List<string>();
        if (c.TextToImage)
        {
            can.Add(session.T("model.can_text_to_image"));
        }

        if (c.ImageToImage)
        {
            can.Add(session.T("model.can_image_to_image", c.MaxReferenceImages));
        }

        if (c.TextToVideo)
        {
            can.Add(session.T("model.can_text_to_video"));
        }

        if (c.ImageToVideo)
        {
            can.Add(session.T("model.can_image_to_video"));
        }

        if (c.LastFrame)
        {
            can.Add(session.T("model.can_last_frame"));
        }

        if (c.MaxAssetReferences > 0)
        {
            can.Add(session.T("model.can_references", c.MaxAssetReferences));
        }

        if (model.MaxImagesPerRequest() > 1)
        {
            can.Add(session.T("model.can_several_images", model.MaxImagesPerRequest()));
        }

        if (c.Audio)
        {
            can.Add(session.T("model.can_audio"));
        }

        var prices = string.Join("; ", c.Resolutions.DefaultIfEmpty(string.Empty).Select(resolution => PricesAt(session, model, resolution)));
        var description = session.Language == "ru" ? model.Description.Ru : model.Description.En;
        return session.T("model.card", Name(session, model), description, prices, string.Join("\n", can.Select(line => "• " + line)));
    }

    /// <summary>"720p: 4 s — 200 credits, …" for videos, "4K — 55 credits" for images (just the price at a single size).</summary>
    private static string PricesAt(ChatSession session, Model model, string resolution)
    {
        if (model.Kind == ModelKind.Video)
        {
            var clips = model.DurationsAt(resolution).Select(s => session.T("model.duration_price", s, model.PriceOf(resolution, s)!.Value.Credits));
            return $"{resolution}: {string.Join(", ", clips)}";
        }

        var credits = model.PriceOf(resolution, 0)?.Credits ?? model.PriceCredits;
        return model.Capabilities.Resolutions.Count > 1 ? session.T("model.size_price", resolution, credits) : session.T("model.price", credits);
    }
}
