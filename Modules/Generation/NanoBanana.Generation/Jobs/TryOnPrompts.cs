using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Jobs;

/// <summary>
/// The instruction a try-on sends with its two images (ADR 0165). It is fixed per zone and written here, never
/// taken from the user, so nobody can steer the image model through a try-on. Gemini image models read the
/// images in the order given: the person first, then the garment.
/// </summary>
internal static class TryOnPrompts
{
    private const string Lead =
        "Virtual try-on. The first image shows a person, the second image shows a product. " +
        "Create a photorealistic image of exactly the person from the first image ";

    private const string Keep =
        " Keep the person's face, identity, hair, skin tone, body shape, pose, expression and the background of the first image unchanged, " +
        "and keep everything else the person wears unless the product replaces it. Reproduce the product faithfully: its colour, pattern, " +
        "material, texture, logos and proportions, fitted naturally to the body with realistic folds, lighting and shadows. " +
        "Keep the framing and aspect ratio of the first image. Output only the image.";

    public static string For(TryOnZone zone) => Lead + Placement(zone) + Keep;

    private static string Placement(TryOnZone zone) => zone switch
    {
        TryOnZone.Top => "wearing the top from the second image (shirt, T-shirt, blouse or sweater) in place of their current top.",
        TryOnZone.Bottom => "wearing the bottoms from the second image (trousers, jeans, shorts or skirt) in place of their current bottoms.",
        TryOnZone.Dress => "wearing the dress or one-piece outfit from the second image in place of their current clothes.",
        TryOnZone.Outerwear => "wearing the outerwear from the second image (jacket, coat or hoodie) over their clothes.",
        TryOnZone.Shoes => "wearing the shoes from the second image in place of their current footwear.",
        TryOnZone.Hat => "wearing the hat or headwear from the second image on their head.",
        TryOnZone.Glasses => "wearing the glasses from the second image on their face.",
        TryOnZone.Bag => "carrying the bag from the second image, held in a hand or worn on the shoulder as that bag is meant to be.",
        TryOnZone.Jewelry => "wearing the jewellery or accessory from the second image where it is meant to be worn.",
        _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, "Try-on needs a zone."),
    };
}
