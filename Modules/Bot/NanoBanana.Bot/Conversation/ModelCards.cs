using NanoBanana.Bot.Outbound;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>How models are shown: the pick list with prices, and the card with what a model can do.</summary>
internal static class ModelCards
{
    public static string Name(ChatSession session, Model model) => session.Language == "ru" ? model.Name.Ru : model.Name.En;

    /// <summary>Images: the price; videos: "from" the shortest clip's price.</summary>
    public static string Price(ChatSession session, Model model) =>
        model.Kind == ModelKind.Video && model.DurationPrices.Count > 0
            ? session.T("model.price_from", model.DurationPrices.Min(p => p.Credits))
            : session.T("model.price", model.PriceCredits);

    public static InlineButton[][] PickList(ChatSession session, IEnumerable<Model> models, string prefix) =>
    [
        .. models.Select(m => new[] { new InlineButton($"{Name(session, m)} · {Price(session, m)}", $"{prefix}:m:{m.Slug}") }),
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

        if (c.Audio)
        {
            can.Add(session.T("model.can_audio"));
        }

        var prices = model.Kind == ModelKind.Video
            ? string.Join(", ", model.DurationPrices.OrderBy(p => p.Seconds).Select(p => session.T("model.duration_price", p.Seconds, p.Credits)))
            : session.T("model.price", model.PriceCredits);
        var description = session.Language == "ru" ? model.Description.Ru : model.Description.En;
        return session.T("model.card", Name(session, model), description, prices, string.Join("\n", can.Select(line => "• " + line)));
    }
}
