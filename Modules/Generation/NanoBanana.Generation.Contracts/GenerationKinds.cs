namespace NanoBanana.Generation.Contracts.V1;

/// <summary>What a <see cref="GenerationKind"/> makes, so every caller agrees which kinds are videos.</summary>
public static class GenerationKinds
{
    public static bool IsVideo(this GenerationKind kind) =>
        kind is GenerationKind.TextToVideo or GenerationKind.ImageToVideo or GenerationKind.ReferencesToVideo;
}
